namespace GenoFlow.Core.Simulation;

/// <summary>
/// What <see cref="CohortSimulator"/> generates. <see cref="Validate"/> (called by the simulator) rejects settings that
/// make no sense with an <see cref="ArgumentOutOfRangeException"/> naming the setting and its allowed range.
/// </summary>
/// <param name="Samples">Number of samples N (at least 1).</param>
/// <param name="Variants">Number of biallelic variants M (at least 1).</param>
/// <param name="Populations">Number of populations K (1..N); samples are split into contiguous near-equal groups.</param>
/// <param name="Fst">Balding–Nichols F, in [0, 1): drift of each population's frequency away from the ancestral one.</param>
/// <param name="MissingRate">Probability that a genotype is missing, independently, in [0, 1).</param>
/// <param name="Seed">Same settings and seed give the same bytes, whatever the thread count.</param>
/// <param name="Chromosomes">Autosomes 1..C to spread variants over, 1..22; fewer are used when M &lt; C.</param>
/// <param name="CausalVariants">Variants with an effect on the traits; min(this, M) are used. 0 gives no genetic effect.</param>
/// <param name="Heritability">Share of trait variance (excluding covariates) that is genetic, in [0, 1].</param>
/// <param name="Prevalence">Share of cases for the binary trait, in (0, 1).</param>
/// <remarks>
/// Without <see cref="Mosaic"/> variants are drawn independently (the model every existing golden test was made with, kept
/// byte for byte); with it, haplotypes are mosaics of population pools, with LD, a 1/x spectrum, admixture and relatives.
/// </remarks>
public sealed record CohortSettings(
    int Samples,
    int Variants,
    int Populations = 3,
    double Fst = 0.1,
    double MissingRate = 0.01,
    ulong Seed = 1,
    int Chromosomes = 22,
    int CausalVariants = 100,
    double Heritability = 0.5,
    double Prevalence = 0.2)
{
    public const int MaxChromosomes = 22;

    /// <summary>The realistic haplotype-mosaic model; null keeps the independent-variant model.</summary>
    public MosaicSettings? Mosaic { get; init; }

    /// <summary>Causal variants come in runs of this many adjacent variants (1: scattered), so that they can sit in LD blocks.</summary>
    public int CausalBlockSize { get; init; } = 1;

    /// <summary>
    /// A further batch of participants from the same populations (0: the cohort itself). Everything about the variants
    /// (positions, alleles, population frequencies or haplotype pools, causal variants and effects) comes from
    /// <see cref="Seed"/> and is shared by every batch; everything about the samples (genotypes, missing calls, sample
    /// plan, covariates, trait noise) comes from <see cref="SampleSeed"/>, so batch 2 is new people genotyped on the same
    /// array: a held-out cohort for projection and prediction. Sample ids of batch B > 0 start with "b{B}_".
    /// </summary>
    public int Batch { get; init; }

    /// <summary>
    /// Features of an expression-like table written beside the phenotypes (0: none): a third driven by the genetic
    /// value (the causal variants), a third by trait_q, a third noise (<see cref="OmicsModel"/>).
    /// </summary>
    public int Omics { get; init; }

    /// <summary>The seed of everything drawn per sample: <see cref="Seed"/> for batch 0, a mix of it and the batch otherwise.</summary>
    public ulong SampleSeed => Batch == 0 ? Seed : Seed ^ (0x9E3779B97F4A7C15UL * (ulong)Batch);

    /// <summary>What sample ids start with: empty for batch 0, "b{B}_" otherwise.</summary>
    public string SamplePrefix => Batch == 0 ? "" : $"b{Batch}_";

    /// <summary>Chromosomes actually used: never more than there are variants.</summary>
    public int EffectiveChromosomes => Math.Min(Chromosomes, Variants);

    /// <summary>Causal variants actually used: never more than there are variants.</summary>
    public int EffectiveCausalVariants => Math.Min(CausalVariants, Variants);

    public void Validate()
    {
        Check(Samples >= 1, nameof(Samples), Samples, "the number of samples must be at least 1");
        Check(Variants >= 1, nameof(Variants), Variants, "the number of variants must be at least 1");
        Check(Populations >= 1 && Populations <= Samples, nameof(Populations), Populations, $"the number of populations must be between 1 and the number of samples ({Samples})");
        Check(Fst is >= 0 and < 1, nameof(Fst), Fst, "Fst must be in [0, 1)");
        Check(MissingRate is >= 0 and < 1, nameof(MissingRate), MissingRate, "the missing rate must be in [0, 1)");
        Check(Chromosomes is >= 1 and <= MaxChromosomes, nameof(Chromosomes), Chromosomes, $"the number of chromosomes must be between 1 and {MaxChromosomes} (autosomes only)");
        Check(CausalVariants >= 0, nameof(CausalVariants), CausalVariants, "the number of causal variants must not be negative");
        Check(Heritability is >= 0 and <= 1, nameof(Heritability), Heritability, "heritability must be in [0, 1]");
        Check(Prevalence is > 0 and < 1, nameof(Prevalence), Prevalence, "prevalence must be in (0, 1)");
        Check(Batch >= 0, nameof(Batch), Batch, "the batch must not be negative");
        Check(Omics is >= 0 and <= OmicsModel.MaxFeatures, nameof(Omics), Omics, $"the number of omics features must be between 0 and {OmicsModel.MaxFeatures}");
        Check(CausalBlockSize >= 1 && CausalBlockSize <= Variants, nameof(CausalBlockSize), CausalBlockSize, $"the causal block size must be between 1 and the number of variants ({Variants})");
        Mosaic?.Validate(this);
    }

    /// <summary>Throws the <see cref="ArgumentOutOfRangeException"/> that names a setting, its value and its allowed range.</summary>
    internal static void Check(bool ok, string name, object value, string message)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, message);
        }
    }
}
