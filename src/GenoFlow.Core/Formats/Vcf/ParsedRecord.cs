using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Vcf;

/// <summary>
/// One VCF record line after parsing: its biallelic variants (one per ALT allele) and, when it is malformed, the problem.
/// The first variant's packed row lives in the batch's row buffer; rows for ALT alleles 2.. in <see cref="ExtraRows"/>.
/// </summary>
internal struct ParsedRecord
{
    public int Start;
    public int Length;
    public long LineNumber;
    public VariantInfo[]? Variants;
    public byte[]? ExtraRows;
    public string? Error;
    public int ErrorColumn;
}
