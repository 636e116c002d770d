namespace GenoFlow.Core.Formats.Pgen;

/// <summary>One block's record tables (up to 65,536 variants), reused from block to block.</summary>
internal sealed class PgenBlock
{
    public byte[] Types { get; } = new byte[PgenHeader.BlockSize];

    public uint[] Lengths { get; } = new uint[PgenHeader.BlockSize];

    /// <summary>Alleles per variant (REF + ALTs); 2 when the file stores no counts.</summary>
    public byte[] AlleleCounts { get; } = new byte[PgenHeader.BlockSize];

    public byte[] Scratch { get; } = new byte[PgenHeader.BlockSize * 4];

    public int Count { get; set; }
}
