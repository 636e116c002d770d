using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Qc;

/// <summary>
/// QC filters, each off when null, with PLINK 2's semantics: a variant fails <see cref="Maf"/> when its minor allele
/// frequency is below it (<c>--maf</c>; a variant with no called genotype has no frequency and does not fail), fails
/// <see cref="MaxMissing"/> when its missing rate is above it (<c>--geno</c>), fails <see cref="Hwe"/> when its
/// Hardy–Weinberg exact P is below it (<c>--hwe</c>, not mid-p); a sample fails <see cref="SampleMaxMissing"/> when its
/// missing rate over all variants is above it (<c>--mind</c>). Order as PLINK 2: <c>--mind</c> first, then the variant
/// statistics and filters over the samples that pass it.
/// </summary>
public sealed record QcThresholds(double? Maf = null, double? MaxMissing = null, double? Hwe = null, double? SampleMaxMissing = null)
{
    public static QcThresholds None { get; } = new();

    /// <summary>Throws <see cref="StageParameterException"/> naming the first threshold outside its range.</summary>
    public void Validate()
    {
        Check(Maf, 0.5, "maf");
        Check(MaxMissing, 1, "max-missing");
        Check(Hwe, 1, "hwe");
        Check(SampleMaxMissing, 1, "sample-max-missing");
    }

    private static void Check(double? value, double max, string name)
    {
        if (value is { } v && !(v >= 0 && v <= max))
        {
            throw new StageParameterException(name, $"must be between 0 and {max}; got {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }
}
