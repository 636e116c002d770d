namespace GenoFlow.Core.Storage;

/// <summary>
/// One column chunk as <see cref="ParquetStructure"/> found it: the column's physical type and compression codec (the
/// parquet.thrift enum values; -1 when absent) and its pages in file order.
/// </summary>
public sealed record ParquetColumnChunk(int PhysicalType, int Codec, IReadOnlyList<ParquetPage> Pages)
{
    public const int Int64 = 2;
    public const int ByteArray = 6;
    public const int Uncompressed = 0;
}

/// <summary>
/// One page: its type (0 a version 1 data page, 2 a dictionary page, 3 a version 2 data page), its values' encoding (0
/// plain; only known for version 1 data pages, else -1), where its data starts (just after its header), its stored and
/// uncompressed sizes and the values it holds. Sizes and counts are within the limits the check enforces.
/// </summary>
public readonly record struct ParquetPage(int Type, int Encoding, long DataOffset, long Bytes, long UncompressedBytes, long Values)
{
    public const int DataPage = 0;
    public const int Plain = 0;
}
