using System.Buffers.Binary;

namespace GenoFlow.Tests.Shared;

/// <summary>
/// Forges a Parquet file's metadata as an attacker would, keeping it well-formed Thrift: a count or length in the
/// footer replaced by any value (the footer's length field follows), or page bytes cut out before the footer.
/// </summary>
internal static class ParquetForgery
{
    /// <summary>
    /// Where the num_values varint of the last column chunk of <paramref name="column"/> starts: its metadata names the
    /// column's path, then codec (field 4, i32) and num_values (field 5, i64), as Parquet.Net writes it.
    /// </summary>
    public static int ColumnValuesAt(byte[] file, string column)
    {
        int at = ValueAfter(file, [.. System.Text.Encoding.UTF8.GetBytes(column), 0x15]);
        at = NextValue(file, at);
        return file[at - 1] == 0x16 ? at : throw new InvalidOperationException($"column {column}'s codec is not followed by num_values");
    }

    /// <summary>Where the varint after the last <paramref name="pattern"/> starts (the pattern ends with its field header).</summary>
    public static int ValueAfter(byte[] file, ReadOnlySpan<byte> pattern)
    {
        int at = file.AsSpan().LastIndexOf(pattern);
        return at < 0 ? throw new InvalidOperationException("the pattern is not in the file's metadata") : at + pattern.Length;
    }

    /// <summary>Where the varint after the one at <paramref name="at"/> and its one-byte field header starts.</summary>
    public static int NextValue(byte[] file, int at)
    {
        while ((file[at] & 0x80) != 0)
        {
            at++;
        }
        return at + 2;
    }

    /// <summary>The file with the footer's varint at <paramref name="at"/> replaced by <paramref name="value"/> (zigzag, as Thrift's integers).</summary>
    public static byte[] WithValue(byte[] file, int at, long value)
    {
        int end = at;
        while ((file[end] & 0x80) != 0)
        {
            end++;
        }
        end++;
        var encoded = new List<byte>();
        ulong zigzag = (ulong)((value << 1) ^ (value >> 63));
        do
        {
            byte b = (byte)(zigzag & 0x7f);
            zigzag >>= 7;
            encoded.Add(zigzag != 0 ? (byte)(b | 0x80) : b);
        }
        while (zigzag != 0);
        byte[] forged = [.. file.AsSpan(0, at), .. encoded, .. file.AsSpan(end)];
        int metadata = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8)) + encoded.Count - (end - at);
        BinaryPrimitives.WriteInt32LittleEndian(forged.AsSpan(forged.Length - 8), metadata);
        return forged;
    }

    /// <summary>The file without the last <paramref name="count"/> bytes of its last column chunk (just before the footer).</summary>
    public static byte[] WithTruncatedLastChunk(byte[] file, int count)
    {
        int metadataStart = file.Length - 8 - BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        return [.. file.AsSpan(0, metadataStart - count), .. file.AsSpan(metadataStart)];
    }

    /// <summary>Where the footer's metadata starts.</summary>
    public static int MetadataStart(byte[] file) =>
        file.Length - 8 - BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
}
