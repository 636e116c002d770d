using System.Buffers.Binary;

namespace GenoFlow.Core.Formats.Bgzf;

/// <summary>
/// The gzip member header (RFC 1952 §2.3) and the BGZF block layout (SAM spec §4.1): a gzip member whose FEXTRA field holds
/// the subfield 'B','C' with a 2-byte BSIZE = total block size - 1, followed by raw deflate data, CRC32 and ISIZE.
/// </summary>
internal static class GzipHeader
{
    public const byte Id1 = 0x1f;
    public const byte Id2 = 0x8b;
    public const byte DeflateMethod = 8;
    public const int FixedLength = 10;
    public const int TrailerLength = 8;

    /// <summary>Header length of a BGZF block as bgzip writes it (XLEN = 6, only the BC subfield).</summary>
    public const int BgzfHeaderLength = 18;
    public const int MaxBgzfBlockSize = 65536;

    /// <summary>The 28-byte empty block that ends every BGZF file.</summary>
    public static ReadOnlySpan<byte> BgzfEofBlock =>
    [
        0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00,
        0x1b, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    [Flags]
    public enum Flags : byte
    {
        None = 0,
        Text = 1,
        HeaderCrc = 2,
        Extra = 4,
        Name = 8,
        Comment = 16,
        Reserved = 0xe0,
    }

    public static bool HasMagic(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == Id1 && data[1] == Id2;

    /// <summary>
    /// Finds the BGZF BSIZE in a member header that starts at <paramref name="header"/>[0] and holds at least the fixed part
    /// and the extra field. Returns -1 when the member is not a BGZF block, -2 when <paramref name="header"/> is too short to tell.
    /// </summary>
    public static int FindBgzfBlockSize(ReadOnlySpan<byte> header)
    {
        if (header.Length < 12)
        {
            return -2;
        }
        if (!HasMagic(header) || header[2] != DeflateMethod || ((Flags)header[3] & Flags.Extra) == 0)
        {
            return -1;
        }
        int xlen = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        if (header.Length < 12 + xlen)
        {
            return -2;
        }
        ReadOnlySpan<byte> extra = header.Slice(12, xlen);
        while (extra.Length >= 4)
        {
            int slen = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (extra[0] == (byte)'B' && extra[1] == (byte)'C' && slen == 2 && extra.Length >= 6)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(extra[4..]) + 1;
            }
            extra = extra[Math.Min(extra.Length, 4 + slen)..];
        }
        return -1;
    }
}
