using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Qc;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;
using MathNet.Numerics.LinearAlgebra;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// PCA of the HWE-normalised matrix X (M variants × N samples): x = (g − 2p)/sqrt(2p(1−p)), g the ALT count, p the ALT
/// frequency over the called genotypes of the kept samples, missing → 0, monomorphic variants dropped. Eigenvalues are
/// those of XᵀX/M (the GRM, PLINK 2's scale); scores are its unit-norm eigenvectors.
/// <para>
/// Every pass is a scatter of <see cref="ProductOperation"/>: X·G reduced over blocks per region (region-major tile order)
/// or Xᵀ·H reduced over regions per block (block-major). Tall matrices live only as pieces in the
/// <see cref="ScratchStore"/>; the coordinator holds one region's or one block's rows at a time and the small l × l
/// factors. Randomized: block Krylov (block Lanczos with full reorthogonalisation; Musco &amp; Musco 2015) with a
/// tall-skinny QR per block, until the top-K Ritz values change by less than the tolerance. Exact: the GRM assembled
/// 64 columns at a time from the same products, eigen-decomposed with MathNet.
/// </para>
/// </summary>
public static class PrincipalComponents
{
    public static async Task<PcaResult> RunAsync(IJobExecutor executor, Dataset dataset, PcaSettings settings, ScratchStore store,
        bool[]? variantKeep = null, bool[]? sampleKeep = null, IProgress<double>? progress = null, WarmStart? warmStart = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        settings.Validate();
        var job = new PcaJob(executor, dataset, store, ct);
        bool[] samples = sampleKeep ?? Enumerable.Repeat(true, dataset.SampleCount).ToArray();
        int kept = samples.Count(k => k);
        if (settings.Method == PcaMethod.Exact && kept > PcaSettings.ExactMaxSamples)
        {
            throw new StageParameterException("method", $"exact builds the {kept:N0} x {kept:N0} GRM in memory and is limited to {PcaSettings.ExactMaxSamples:N0} samples; use randomized");
        }
        long normaliseStarted = Stopwatch.GetTimestamp();
        var (frequency, scaling, trace, used) = await Normalise(job, samples, variantKeep).ConfigureAwait(false);
        job.Timings.Normalise = Stopwatch.GetElapsedTime(normaliseStarted).TotalSeconds;
        int columns = settings.Method == PcaMethod.Exact ? settings.K : settings.Columns;
        if (used < columns || kept < columns)
        {
            throw new StageException($"PCA with {(settings.Method == PcaMethod.Exact ? "" : "K + oversampling = ")}{columns} components needs at least that many variants and samples; {used:N0} polymorphic variants and {kept:N0} samples are kept");
        }
        progress?.Report(0.05);
        var (eigenvalues, iterations, converged) = settings.Method == PcaMethod.Exact
            ? (await ExactPca.RunAsync(job, settings, samples, used).ConfigureAwait(false), 0, true)
            : await RandomizedPca.RunAsync(job, settings, samples, used, warmStart, progress).ConfigureAwait(false);
        long loadingsStarted = Stopwatch.GetTimestamp();
        await Loadings(job, settings.K, eigenvalues, used).ConfigureAwait(false);
        job.Timings.ScoresAndLoadings += Stopwatch.GetElapsedTime(loadingsStarted).TotalSeconds;
        progress?.Report(1);
        return new PcaResult(settings, eigenvalues, trace, iterations, converged, used, frequency, scaling, samples, store, job.Timings);
    }

    /// <summary>Allele frequencies over the kept samples, the per-region normalisation pieces, and the GRM trace.</summary>
    private static async Task<(double[] Frequency, double[] Scaling, double Trace, long Used)> Normalise(PcaJob job, bool[] samples, bool[]? variantKeep)
    {
        DatasetManifest manifest = job.Dataset.Manifest;
        int variants = checked((int)job.Dataset.VariantCount);
        var homRef = new long[variants];
        var het = new long[variants];
        var missing = new long[variants];
        var masks = new byte[manifest.SampleBlockCount][];
        var keptInBlock = new int[manifest.SampleBlockCount];
        for (int b = 0; b < masks.Length; b++)
        {
            int count = manifest.BlockSampleCount(b);
            masks[b] = new byte[PackedGenotypes.RowBytes(count)];
            for (int s = 0; s < count; s++)
            {
                if (samples[b * manifest.SamplesPerTile + s])
                {
                    PackedGenotypes.SetCode(masks[b], s, 0b11);
                    keptInBlock[b]++;
                }
            }
        }
        var tiles = TileGrid.All(job.Dataset);
        await job.Executor.RunAsync(new TileJob(job.Reference, QcCountsOperation.OperationName, tiles, id => masks[id.Block]), (id, bytes) =>
        {
            QcPartial partial = QcPartial.Decode(bytes.Span);
            int first = checked((int)manifest.Regions[id.Region].FirstVariant);
            for (int v = 0; v < partial.VariantCount; v++)
            {
                homRef[first + v] += partial.VariantHomRef[v];
                het[first + v] += partial.VariantHet[v];
                missing[first + v] += partial.VariantMissing[v];
            }
        }, null, job.Ct).ConfigureAwait(false);
        long keptTotal = keptInBlock.Sum();
        var frequency = new double[variants];
        var scaling = new double[variants];
        var centers = new double[variants];
        double sumSquares = 0;
        long used = 0;
        for (int v = 0; v < variants; v++)
        {
            long called = keptTotal - missing[v];
            long homAlt = called - homRef[v] - het[v];
            double p = called == 0 ? double.NaN : (het[v] + 2.0 * homAlt) / (2.0 * called);
            frequency[v] = p;
            centers[v] = 2 * p;
            if ((variantKeep is null || variantKeep[v]) && p > 0 && p < 1)
            {
                double s = 1 / Math.Sqrt(2 * p * (1 - p));
                scaling[v] = s;
                used++;
                sumSquares += s * s * (homRef[v] * 4 * p * p + het[v] * (1 - 2 * p) * (1 - 2 * p) + homAlt * (2 - 2 * p) * (2 - 2 * p));
            }
            else
            {
                centers[v] = 0;
            }
        }
        for (int r = 0; r < manifest.Regions.Count; r++)
        {
            RegionInfo region = manifest.Regions[r];
            var piece = new double[2 * region.VariantCount];
            for (int v = 0; v < region.VariantCount; v++)
            {
                piece[2 * v] = centers[region.FirstVariant + v];
                piece[2 * v + 1] = scaling[region.FirstVariant + v];
            }
            job.Store.Write<double>(PcaJob.NormalisationPiece(r), piece);
        }
        return (frequency, scaling, used == 0 ? 0 : sumSquares / used, used);
    }

    /// <summary>
    /// Loadings w_jk = (X v_k)_j / (M λ_k): one forward pass with the final scores. Then Σ_j x_sj w_jk = (XᵀX v_k)_s / (M λ_k)
    /// = v_k[s], so projecting a sample with the model reproduces its score.
    /// </summary>
    private static async Task Loadings(PcaJob job, int k, double[] eigenvalues, long used)
    {
        DatasetManifest manifest = job.Dataset.Manifest;
        int width = PcaSettings.PadColumns(k);
        for (int b = 0; b < manifest.SampleBlockCount; b++)
        {
            double[] scores = job.Store.Read<double>(PcaResult.ScoresPiece(b));
            int count = manifest.BlockSampleCount(b);
            var padded = new float[count * width];
            for (int s = 0; s < count; s++)
            {
                for (int c = 0; c < k; c++)
                {
                    padded[s * width + c] = (float)scores[s * k + c];
                }
            }
            job.Store.Write<float>(PcaJob.BlockPiece("V", b), padded);
        }
        await job.Forward("V", width, null, (r, y) =>
        {
            int rows = y.Length / width;
            var loadings = new double[rows * k];
            for (int v = 0; v < rows; v++)
            {
                for (int c = 0; c < k; c++)
                {
                    loadings[v * k + c] = y[v * width + c] / (used * eigenvalues[c]);
                }
            }
            job.Store.Write<double>(PcaResult.LoadingsPiece(r), loadings);
        }).ConfigureAwait(false);
    }

    /// <summary>Writes the score pieces with each vector's sign fixed: its largest-|value| entry (first on ties) positive.</summary>
    internal static void WriteScores(ScratchStore store, DatasetManifest manifest, int k, Func<int, double[]> block)
    {
        var best = new double[k];
        for (int b = 0; b < manifest.SampleBlockCount; b++)
        {
            double[] piece = block(b);
            for (int i = 0; i < piece.Length; i++)
            {
                if (Math.Abs(piece[i]) > Math.Abs(best[i % k]))
                {
                    best[i % k] = piece[i];
                }
            }
            store.Write<double>($"unsigned-b{b}", piece);
        }
        for (int b = 0; b < manifest.SampleBlockCount; b++)
        {
            double[] piece = store.Read<double>($"unsigned-b{b}");
            for (int i = 0; i < piece.Length; i++)
            {
                piece[i] = best[i % k] < 0 ? -piece[i] : piece[i];
            }
            store.Write<double>(PcaResult.ScoresPiece(b), piece);
        }
    }
}
