namespace GenoFlow.Core.Genotypes;

/// <summary>
/// One sample as a PLINK .fam line describes it. <see cref="SampleId"/> (the IID) is the key GenoFlow uses and must be
/// unique within a dataset. Sex: 0 unknown, 1 male, 2 female. Phenotype is kept as text ("-9" when absent) so .fam
/// files round-trip unchanged.
/// </summary>
public sealed record SampleInfo(string FamilyId, string SampleId, string FatherId = "0", string MotherId = "0", int Sex = 0, string Phenotype = "-9")
{
    /// <summary>A sample known only by its ID, as in a VCF header: family ID "0" and everything else unknown.</summary>
    public static SampleInfo FromId(string sampleId) => new("0", sampleId);
}
