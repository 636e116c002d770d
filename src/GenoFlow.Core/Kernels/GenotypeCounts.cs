namespace GenoFlow.Core.Kernels;

/// <summary>Genotype counts of one variant over a run of samples.</summary>
public readonly record struct GenotypeCounts(long HomRef, long Het, long HomAlt, long Missing)
{
    public long Called => HomRef + Het + HomAlt;

    public long Total => Called + Missing;

    /// <summary>ALT allele frequency among called genotypes; NaN when nothing is called.</summary>
    public double AltFrequency => Called == 0 ? double.NaN : (Het + 2.0 * HomAlt) / (2.0 * Called);

    public static GenotypeCounts operator +(GenotypeCounts a, GenotypeCounts b) =>
        new(a.HomRef + b.HomRef, a.Het + b.Het, a.HomAlt + b.HomAlt, a.Missing + b.Missing);
}
