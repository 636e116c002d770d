namespace GenoFlow.Analysis.Qc;

/// <summary>
/// One variant's QC statistics over the samples that pass <see cref="QcThresholds.SampleMaxMissing"/> (all samples when
/// it is off). <see cref="Failed"/> says which filters it fails; it passes when that is <see cref="QcFailures.None"/>.
/// </summary>
public readonly record struct VariantQc(int HomRef, int Het, int HomAlt, int Missing, double HweP, QcFailures Failed)
{
    public int Called => HomRef + Het + HomAlt;

    public int Total => Called + Missing;

    /// <summary>Called / total; NaN when no sample is counted.</summary>
    public double CallRate => Total == 0 ? double.NaN : (double)Called / Total;

    public double MissingRate => Total == 0 ? double.NaN : (double)Missing / Total;

    /// <summary>ALT allele frequency among called genotypes; NaN when none is called.</summary>
    public double AltFrequency => Called == 0 ? double.NaN : (Het + 2.0 * HomAlt) / (2.0 * Called);

    public double MinorAlleleFrequency => Math.Min(AltFrequency, 1 - AltFrequency);

    public bool Pass => Failed == QcFailures.None;
}
