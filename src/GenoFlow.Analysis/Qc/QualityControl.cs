using GenoFlow.Analysis.Execution;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Qc;

/// <summary>
/// The QC job: scatters <see cref="QcCountsOperation"/> over every tile and reduces in tile order, so any executor gives
/// the same result. Order of operations as PLINK 2: per-sample missingness over all variants decides
/// <see cref="QcThresholds.SampleMaxMissing"/> (<c>--mind</c>) first; variant statistics and the variant filters
/// (<c>--maf</c>, <c>--geno</c>, <c>--hwe</c>) are then computed over the samples that pass it. When some sample fails,
/// that takes a second, variant-only scatter with a keep mask per block.
/// </summary>
public static class QualityControl
{
    public static async Task<QcResult> RunAsync(IJobExecutor executor, Dataset dataset, QcThresholds thresholds, IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(thresholds);
        thresholds.Validate();
        DatasetManifest manifest = dataset.Manifest;
        int variants = checked((int)dataset.VariantCount);
        int samples = dataset.SampleCount;
        DatasetRef reference = DatasetRef.Of(dataset);
        IReadOnlyList<TileId> tiles = TileGrid.All(dataset);
        bool mayNeedSecondPass = thresholds.SampleMaxMissing is not null;

        var homRef = new int[variants];
        var het = new int[variants];
        var missing = new int[variants];
        var sampleMissing = new long[samples];
        var sampleHet = new long[samples];
        var sampleHomAlt = new long[samples];
        IProgress<double>? first = progress is null ? null : new Progress(progress, 0, mayNeedSecondPass ? 0.5 : 1);
        await executor.RunAsync(TileJob.Uniform(reference, QcCountsOperation.OperationName, tiles, ReadOnlyMemory<byte>.Empty), (id, bytes) =>
        {
            QcPartial partial = Decode(id, bytes, manifest, expectSamples: true);
            AddVariants(partial, manifest.Regions[id.Region].FirstVariant, homRef, het, missing);
            int firstSample = id.Block * manifest.SamplesPerTile;
            for (int s = 0; s < partial.SampleCount; s++)
            {
                sampleMissing[firstSample + s] += partial.SampleMissing[s];
                sampleHet[firstSample + s] += partial.SampleHet[s];
                sampleHomAlt[firstSample + s] += partial.SampleHomAlt[s];
            }
        }, first, ct).ConfigureAwait(false);

        var samplePass = new bool[samples];
        for (int s = 0; s < samples; s++)
        {
            samplePass[s] = !((double)sampleMissing[s] / variants > thresholds.SampleMaxMissing);
        }
        int kept = samplePass.Count(p => p);
        if (kept < samples)
        {
            byte[][] masks = KeepMasks(manifest, samplePass);
            Array.Clear(homRef);
            Array.Clear(het);
            Array.Clear(missing);
            var job = new TileJob(reference, QcCountsOperation.OperationName, tiles, id => masks[id.Block]);
            await executor.RunAsync(job, (id, bytes) =>
                AddVariants(Decode(id, bytes, manifest, expectSamples: false), manifest.Regions[id.Region].FirstVariant, homRef, het, missing),
                progress is null ? null : new Progress(progress, 0.5, 0.5), ct).ConfigureAwait(false);
        }
        progress?.Report(1);
        IReadOnlyList<SampleInfo> sampleInfo = dataset.ReadSamples();
        return new QcResult(dataset, thresholds, sampleInfo, homRef, het, missing, kept, sampleMissing, sampleHet, sampleHomAlt, samplePass);
    }

    /// <summary>Per block: 0b11 for each sample that passes, 0b00 for each that does not.</summary>
    private static byte[][] KeepMasks(DatasetManifest manifest, bool[] samplePass)
    {
        var masks = new byte[manifest.SampleBlockCount][];
        for (int b = 0; b < masks.Length; b++)
        {
            int count = manifest.BlockSampleCount(b);
            masks[b] = new byte[PackedGenotypes.RowBytes(count)];
            for (int s = 0; s < count; s++)
            {
                if (samplePass[b * manifest.SamplesPerTile + s])
                {
                    PackedGenotypes.SetCode(masks[b], s, 0b11);
                }
            }
        }
        return masks;
    }

    private static QcPartial Decode(TileId id, ReadOnlyMemory<byte> bytes, DatasetManifest manifest, bool expectSamples)
    {
        QcPartial partial = QcPartial.Decode(bytes.Span);
        int expectedSamples = expectSamples ? manifest.BlockSampleCount(id.Block) : 0;
        if (partial.VariantCount != manifest.Regions[id.Region].VariantCount || partial.SampleCount != expectedSamples)
        {
            throw new InvalidOperationException($"tile {id}: partial of {partial.VariantCount} variants x {partial.SampleCount} samples, expected {manifest.Regions[id.Region].VariantCount} x {expectedSamples}");
        }
        return partial;
    }

    private static void AddVariants(QcPartial partial, long firstVariant, int[] homRef, int[] het, int[] missing)
    {
        int first = checked((int)firstVariant);
        for (int v = 0; v < partial.VariantCount; v++)
        {
            homRef[first + v] += partial.VariantHomRef[v];
            het[first + v] += partial.VariantHet[v];
            missing[first + v] += partial.VariantMissing[v];
        }
    }

    /// <summary>Maps one scatter's progress into [offset, offset + scale] of the job's.</summary>
    private sealed class Progress(IProgress<double> inner, double offset, double scale) : IProgress<double>
    {
        public void Report(double value) => inner.Report(offset + scale * value);
    }
}
