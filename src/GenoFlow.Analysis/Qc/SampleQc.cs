namespace GenoFlow.Analysis.Qc;

/// <summary>One sample's QC statistics over all variants.</summary>
public readonly record struct SampleQc(long HomRef, long Het, long HomAlt, long Missing, bool Pass)
{
    public long Called => HomRef + Het + HomAlt;

    public long Total => Called + Missing;

    public double CallRate => Total == 0 ? double.NaN : (double)Called / Total;

    public double MissingRate => Total == 0 ? double.NaN : (double)Missing / Total;

    /// <summary>Het / called; NaN when nothing is called.</summary>
    public double HetRate => Called == 0 ? double.NaN : (double)Het / Called;
}
