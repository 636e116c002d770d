using GenoFlow.Core.Formats.Binary;

namespace GenoFlow.Core.Formats.Bgen;

/// <summary>How a BGEN file's genotype blocks are compressed (header flags, bits 0-1).</summary>
public enum BgenCompression
{
    None = 0,
    Zlib = 1,
    Zstd = 2,
}

/// <summary>
/// A BGEN file's header block and optional sample identifier block (BGEN spec, "Header block" and "Sample identifier
/// block"). Layout 1 is v1.1; layout 2 is v1.2 (no or zlib compression) and v1.3 (zstd).
/// </summary>
internal sealed record BgenHeader(uint VariantCount, int SampleCount, BgenCompression Compression, int Layout, IReadOnlyList<string>? SampleIds, long FirstVariantOffset)
{
    /// <summary>Sample identifiers longer than this are refused (plink2 refuses IDs over 16,000 bytes).</summary>
    public const int MaxIdBytes = 16_000;

    /// <summary>Larger sample counts than this are refused: a packed row must fit one .NET array.</summary>
    public const int MaxSamples = 1 << 30;

    public static BgenHeader Read(BinaryInput input)
    {
        uint offset = input.ReadUInt32("the first-variant offset");
        long headerStart = input.Offset;
        uint headerLength = input.ReadUInt32("the header block length");
        if (headerLength < 20 || headerLength > offset)
        {
            throw input.Error($"header block length {headerLength} must be at least 20 and at most the first-variant offset {offset}", headerStart);
        }
        if (4L + offset > input.Length)
        {
            throw input.Error($"the first-variant offset {offset} points past the end of the file ({input.Length} bytes)", 0);
        }
        uint variantCount = input.ReadUInt32("the variant count");
        uint sampleCount = input.ReadUInt32("the sample count");
        long magicAt = input.Offset;
        Span<byte> magic = stackalloc byte[4];
        input.ReadExactly(magic, "the magic number");
        if (!magic.SequenceEqual("bgen"u8) && !magic.SequenceEqual(new byte[4]))
        {
            throw input.Error($"not a BGEN file: expected magic bytes 'bgen' (62 67 65 6e), found {Convert.ToHexStringLower(magic)}", magicAt);
        }
        if (sampleCount > MaxSamples)
        {
            throw input.Error($"sample count {sampleCount} is above the supported {MaxSamples}", 12);
        }
        input.Skip(headerLength - 20, "the header's free data");
        long flagsAt = input.Offset;
        uint flags = input.ReadUInt32("the header flags");
        var compression = (BgenCompression)(flags & 3);
        int layout = (int)((flags >> 2) & 0xF);
        if ((int)compression == 3)
        {
            throw input.Error("compression type 3 is not defined by the BGEN spec (0 none, 1 zlib, 2 zstd)", flagsAt);
        }
        if (layout is not (1 or 2))
        {
            throw input.Error($"layout {layout} is not supported; expected 1 (BGEN v1.1) or 2 (v1.2 and v1.3)", flagsAt);
        }
        if (layout == 1 && compression == BgenCompression.Zstd)
        {
            throw input.Error("layout 1 (BGEN v1.1) allows no compression or zlib, not zstd", flagsAt);
        }

        IReadOnlyList<string>? ids = null;
        if ((flags & 0x8000_0000u) != 0)
        {
            ids = ReadSampleIds(input, (int)sampleCount, offset);
        }
        return new BgenHeader(variantCount, (int)sampleCount, compression, layout, ids, 4L + offset);
    }

    private static List<string> ReadSampleIds(BinaryInput input, int sampleCount, uint offset)
    {
        long blockStart = input.Offset;
        uint blockLength = input.ReadUInt32("the sample identifier block length");
        if (blockStart + blockLength > 4L + offset)
        {
            throw input.Error($"the sample identifier block ({blockLength} bytes) runs past the first-variant offset {offset + 4}", blockStart);
        }
        long countAt = input.Offset;
        uint count = input.ReadUInt32("the sample identifier count");
        if (count != sampleCount)
        {
            throw input.Error($"the sample identifier block lists {count} samples but the header says {sampleCount}", countAt);
        }
        var ids = new List<string>(Math.Min(sampleCount, 1 << 20));
        long end = blockStart + blockLength;
        for (int i = 0; i < sampleCount; i++)
        {
            long at = input.Offset;
            ushort length = input.ReadUInt16("a sample identifier length");
            if (at + 2 + length > end)
            {
                throw input.Error($"sample identifier {i + 1} runs past the end of the sample identifier block (byte {end})", at);
            }
            ids.Add(input.ReadString(length, MaxIdBytes, $"sample identifier {i + 1}"));
        }
        return ids;
    }
}
