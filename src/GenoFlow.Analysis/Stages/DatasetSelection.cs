using System.IO.Hashing;
using System.Runtime.InteropServices;
using GenoFlow.Analysis.Qc;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Stages;

/// <summary>
/// Which variants and samples of one dataset a stage uses, by index (never by variant ID: the records a multi-allelic
/// site splits into share one). Null means all. Stages hand selections to each other as objects: QC's passing
/// variants and samples, LD pruning's kept variants; the command line builds them from a QC directory or an ID list.
/// </summary>
public sealed record DatasetSelection(bool[]? Variants, bool[]? Samples)
{
    public static DatasetSelection All { get; } = new(null, null);

    /// <summary>The variants and samples that passed QC (what its variants.keep and samples.keep list).</summary>
    public static DatasetSelection Passing(QcResult qc)
    {
        ArgumentNullException.ThrowIfNull(qc);
        var variants = new bool[qc.VariantCount];
        for (long v = 0; v < variants.LongLength; v++)
        {
            variants[v] = qc.Variant(v).Pass;
        }
        var samples = new bool[qc.SampleCount];
        for (int s = 0; s < samples.Length; s++)
        {
            samples[s] = qc.Sample(s).Pass;
        }
        return new DatasetSelection(variants, samples);
    }

    /// <summary>What a QC output directory's keep lists name (checked to be this dataset's, see <see cref="QcFilter.Load"/>).</summary>
    public static DatasetSelection Kept(QcFilter filter, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(dataset);
        var variants = new bool[dataset.VariantCount];
        foreach (long v in filter.VariantIndices)
        {
            variants[v] = true;
        }
        var samples = new bool[dataset.SampleCount];
        foreach (int s in filter.SampleIndices)
        {
            samples[s] = true;
        }
        return new DatasetSelection(variants, samples);
    }

    /// <summary>This selection, keeping only the variants also in <paramref name="variants"/> (one flag per dataset variant).</summary>
    public DatasetSelection AndVariants(bool[] variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        return this with { Variants = Variants is null ? variants : [.. Variants.Zip(variants, (a, b) => a && b)] };
    }

    /// <summary>This selection, keeping only the variants whose ID <paramref name="ids"/> holds (PLINK's --extract).</summary>
    public DatasetSelection AndVariantIds(Dataset dataset, IReadOnlySet<string> ids)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(ids);
        var listed = new bool[dataset.VariantCount];
        long index = 0;
        foreach (VariantInfo variant in dataset.ReadVariants())
        {
            listed[index] = ids.Contains(variant.Id);
            index++;
        }
        return AndVariants(listed);
    }

    /// <summary>Indices of the selected variants, increasing.</summary>
    public long[] VariantIndices(long variantCount) => Variants is null
        ? [.. Enumerable.Range(0, checked((int)variantCount)).Select(i => (long)i)]
        : [.. Enumerable.Range(0, Variants.Length).Where(i => Variants[i]).Select(i => (long)i)];

    /// <summary>Indices of the selected samples, increasing.</summary>
    public int[] SampleIndices(int sampleCount) => Samples is null
        ? [.. Enumerable.Range(0, sampleCount)]
        : [.. Enumerable.Range(0, Samples.Length).Where(i => Samples[i])];

    /// <summary>xxh3 of the selection's flags: equal digests, equal selections (what run.json records of a stage's inputs).</summary>
    public string Digest()
    {
        var hash = new XxHash3();
        foreach (bool[]? flags in new[] { Variants, Samples })
        {
            hash.Append(flags is null ? [0] : [1]);
            hash.Append(MemoryMarshal.AsBytes((flags ?? []).AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
