using System.Buffers.Binary;

namespace GenoFlow.Core.Storage;

/// <summary>
/// A Parquet file ends with its metadata (Thrift), the metadata's length as 4 little-endian bytes, and <c>PAR1</c>.
/// A reader sizes its metadata buffer from that length, so it is checked here before any Parquet reader opens a file
/// (tiles, variant and sample tables, shard files, user tables, PCA models): it must fit in the bytes the file holds
/// before it and stay under <see cref="MaxMetadataBytes"/>. A damaged or hostile footer is one error naming the file.
/// </summary>
public static class ParquetFooter
{
    /// <summary>
    /// Largest metadata accepted: GenoFlow's widest files (a variant table of millions of rows in row groups of whole
    /// regions) have a few megabytes of metadata.
    /// </summary>
    public const int MaxMetadataBytes = 64 << 20;

    private const int TailBytes = 8;
    private const int HeadBytes = 4;

    /// <summary>Checks the footer of the Parquet file in <paramref name="input"/> (seekable); the position is kept.</summary>
    /// <exception cref="GenoFlowFormatException">The footer is missing, or claims more metadata than is there or than the limit.</exception>
    public static void Check(Stream input, string file)
    {
        ArgumentNullException.ThrowIfNull(input);
        long length = input.Length;
        if (length < HeadBytes + TailBytes)
        {
            throw new GenoFlowFormatException(file, $"not a Parquet file: {length} bytes, fewer than the 12 of an empty one");
        }
        Span<byte> tail = stackalloc byte[TailBytes];
        long position = input.Position;
        input.Seek(length - TailBytes, SeekOrigin.Begin);
        input.ReadExactly(tail);
        input.Seek(position, SeekOrigin.Begin);
        if (!tail[4..].SequenceEqual("PAR1"u8))
        {
            throw new GenoFlowFormatException(file, "not a Parquet file: it does not end with PAR1", byteOffset: length - 4);
        }
        uint metadata = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        long room = length - HeadBytes - TailBytes;
        if (metadata > room)
        {
            throw new GenoFlowFormatException(file, $"damaged Parquet footer: it claims {metadata} bytes of metadata, but the file holds {room} before it", byteOffset: length - TailBytes);
        }
        if (metadata > MaxMetadataBytes)
        {
            throw new GenoFlowFormatException(file, $"Parquet metadata of {metadata} bytes is more than the limit of {MaxMetadataBytes} bytes", byteOffset: length - TailBytes);
        }
    }
}
