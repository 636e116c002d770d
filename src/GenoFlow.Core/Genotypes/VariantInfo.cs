namespace GenoFlow.Core.Genotypes;

/// <summary>
/// One biallelic variant. <see cref="Ref"/> is bim column 6 (A2) and <see cref="Alt"/> bim column 5 (A1), as PLINK 2 reads
/// a .bim; the packed genotype codes count ALT alleles. <see cref="CentiMorgans"/> is the bim genetic position (0 for VCF input).
/// </summary>
public sealed record VariantInfo(string Chrom, long Position, string Id, string Ref, string Alt, double CentiMorgans = 0);
