using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Bgen;

/// <summary>
/// One variant data block as read from the file, before decoding: its identity (one biallelic
/// <see cref="VariantInfo"/> per ALT allele), where its genotype bytes sit in the batch buffer, and how long they
/// must be once decompressed.
/// </summary>
internal struct BgenBlock
{
    /// <summary>File offset of the variant block, for errors.</summary>
    public long Offset;

    /// <summary>File offset of the genotype data (after its length fields), for errors.</summary>
    public long DataOffset;

    public VariantInfo[] Variants;

    /// <summary>Number of alleles (REF + ALTs).</summary>
    public int AlleleCount;

    public int DataStart;
    public int DataLength;

    /// <summary>The decompressed length the file states (layout 2), or 6N for layout 1.</summary>
    public int UncompressedLength;

    /// <summary>Index of the block's first packed row in the batch's row buffer.</summary>
    public int FirstRow;
}
