namespace GenoFlow.Core.Simulation;

/// <summary>How samples are ordered in the output.</summary>
public enum SampleOrder
{
    /// <summary>Population by population (pop1 first), admixed samples last.</summary>
    Contiguous,

    /// <summary>A seeded random permutation, as a biobank's sample order is.</summary>
    Shuffled,
}

/// <summary>
/// The realistic model of <see cref="CohortSimulator"/> (haplotype mosaics, see <see cref="MosaicGenerator"/>): set
/// <see cref="CohortSettings.Mosaic"/> to use it. Validated by <see cref="CohortSettings.Validate"/>.
/// </summary>
/// <param name="PoolHaplotypes">Haplotypes H in each population's reference pool (2..4096). A smaller pool gives stronger LD.</param>
/// <param name="RecombinationRate">Average recombination rate in cM/Mb (1 is the human genome's average), (0, 100].</param>
/// <param name="EffectiveSize">Ne of the Li–Stephens switch rate 4·Ne·r/H per bp (HAPGEN's default, 11,418, for CEU).</param>
/// <param name="VariantSpacing">Mean distance between adjacent variants in bp; gaps are uniform on 1..2·spacing−1.</param>
/// <param name="MafMin">Lowest frequency of the 1/x spectrum, in [0, 0.5); 0 means 1/(2N), a singleton's.</param>
/// <param name="AdmixedShare">Share of samples that are two-way admixed, in [0, 1]; needs at least 2 populations.</param>
/// <param name="AdmixtureGenerations">Generations since admixture: ancestry switches at this rate per Morgan (1..1000).</param>
/// <param name="FirstDegreePairs">Parent–offspring pairs among the unadmixed samples.</param>
/// <param name="SecondDegreePairs">Half-sibling pairs (their shared parent is not in the cohort) among the unadmixed samples.</param>
/// <param name="Order">Sample order in the output.</param>
/// <param name="HotspotSpacingKb">Mean distance between recombination hotspots in kb; 0 gives a uniform map.</param>
/// <param name="HotspotShare">Share of recombination that happens in hotspots (when there are any), in [0, 1).</param>
public sealed record MosaicSettings(
    int PoolHaplotypes = 100,
    double RecombinationRate = 1.0,
    double EffectiveSize = 11_418,
    int VariantSpacing = 2_000,
    double MafMin = 0,
    double AdmixedShare = 0,
    int AdmixtureGenerations = 10,
    int FirstDegreePairs = 0,
    int SecondDegreePairs = 0,
    SampleOrder Order = SampleOrder.Contiguous,
    double HotspotSpacingKb = 0,
    double HotspotShare = 0.7)
{
    public const int MaxPoolHaplotypes = 4096;

    /// <summary>Samples that are admixed, out of <paramref name="samples"/>.</summary>
    public int AdmixedCount(int samples) => (int)Math.Round(AdmixedShare * samples, MidpointRounding.AwayFromZero);

    /// <summary>Template switches per Morgan of a haplotype copying its pool (Li and Stephens 2003: ρ/H with ρ = 4·Ne·r).</summary>
    public double SwitchesPerMorgan => 4 * EffectiveSize / PoolHaplotypes;

    /// <summary>Lowest frequency of the spectrum for a cohort of <paramref name="samples"/>.</summary>
    public double LowestFrequency(int samples) => MafMin > 0 ? MafMin : 1.0 / (2.0 * samples);

    internal void Validate(CohortSettings cohort)
    {
        CohortSettings.Check(PoolHaplotypes is >= 2 and <= MaxPoolHaplotypes, nameof(PoolHaplotypes), PoolHaplotypes, $"the pool must hold between 2 and {MaxPoolHaplotypes} haplotypes");
        CohortSettings.Check(RecombinationRate is > 0 and <= 100, nameof(RecombinationRate), RecombinationRate, "the recombination rate must be in (0, 100] cM/Mb");
        CohortSettings.Check(EffectiveSize is >= 1 and <= 1e7, nameof(EffectiveSize), EffectiveSize, "the effective population size must be in [1, 1e7]");
        CohortSettings.Check(VariantSpacing is >= 1 and <= 1_000_000, nameof(VariantSpacing), VariantSpacing, "the variant spacing must be between 1 and 1,000,000 bp");
        CohortSettings.Check(MafMin is >= 0 and < 0.5, nameof(MafMin), MafMin, "the lowest allele frequency must be in [0, 0.5)");
        CohortSettings.Check(AdmixedShare is >= 0 and <= 1, nameof(AdmixedShare), AdmixedShare, "the admixed share must be in [0, 1]");
        CohortSettings.Check(AdmixedShare == 0 || cohort.Populations >= 2, nameof(AdmixedShare), AdmixedShare, "admixed samples need at least 2 populations");
        CohortSettings.Check(AdmixtureGenerations is >= 1 and <= 1000, nameof(AdmixtureGenerations), AdmixtureGenerations, "the generations since admixture must be between 1 and 1000");
        CohortSettings.Check(FirstDegreePairs >= 0, nameof(FirstDegreePairs), FirstDegreePairs, "the number of first-degree pairs must not be negative");
        CohortSettings.Check(SecondDegreePairs >= 0, nameof(SecondDegreePairs), SecondDegreePairs, "the number of second-degree pairs must not be negative");
        // Pairs are formed within a population, so up to one sample per population may be left without a partner.
        long unadmixed = cohort.Samples - AdmixedCount(cohort.Samples);
        long paired = 2L * (FirstDegreePairs + (long)SecondDegreePairs);
        CohortSettings.Check(paired == 0 || paired <= unadmixed - cohort.Populations, nameof(FirstDegreePairs), FirstDegreePairs + SecondDegreePairs,
            $"the relative pairs need {paired} samples but at most {Math.Max(0, unadmixed - cohort.Populations)} unadmixed samples can be paired");
        CohortSettings.Check(Enum.IsDefined(Order), nameof(Order), Order, "the sample order must be contiguous or shuffled");
        CohortSettings.Check(HotspotSpacingKb is >= 0 and <= 1e6, nameof(HotspotSpacingKb), HotspotSpacingKb, "the hotspot spacing must be in [0, 1e6] kb");
        CohortSettings.Check(HotspotShare is >= 0 and < 1, nameof(HotspotShare), HotspotShare, "the hotspot share must be in [0, 1)");
    }
}
