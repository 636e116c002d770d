using System.Collections.Frozen;

namespace GenoFlow.Core.Storage;

/// <summary>
/// The part of parquet.thrift (Apache Parquet format 2.x) that GenoFlow reads: the fields of the files it writes, and
/// those that other writers (Arrow, Spark, Parquet.Net) put in plain tables of numbers and strings; each struct's fields
/// by id, with their Thrift compact-protocol type. <see cref="ParquetStructure"/> walks a file's footer and page headers
/// against it before Parquet.Net reads them, so the reader only ever meets fields it knows, with the types it expects.
/// Left out, so refused: encryption, external column files (a path inside a file), geospatial and variant types.
/// </summary>
internal static class ThriftSchema
{
    // Thrift compact protocol type codes.
    public const int BoolTrue = 1;
    public const int BoolFalse = 2;
    public const int Byte = 3;
    public const int I16 = 4;
    public const int I32 = 5;
    public const int I64 = 6;
    public const int Binary = 8;
    public const int List = 9;
    public const int Struct = 12;

    // Integer fields the structure check uses, by struct.
    public const int RowGroupRows = 3;
    public const int ColumnType = 1;
    public const int ColumnCodec = 4;
    public const int ColumnValues = 5;
    public const int ColumnCompressedSize = 7;
    public const int ColumnDataPageOffset = 9;
    public const int ColumnDictionaryPageOffset = 11;
    public const int PageType = 1;
    public const int PageUncompressedSize = 2;
    public const int PageCompressedSize = 3;
    public const int PageValues = 1; // in DataPageHeader, DictionaryPageHeader and DataPageHeaderV2
    public const int DataPageEncoding = 2; // in DataPageHeader

    /// <summary>A field: its compact type; for a struct, the struct's name; for a list, its element type (and struct).</summary>
    public sealed record Field(int Type, string? StructName = null, int ElementType = 0);

    private static Field Bool => new(BoolTrue);
    private static Field Int8 => new(Byte);
    private static Field Int16 => new(I16);
    private static Field Int32 => new(I32);
    private static Field Int64 => new(I64);
    private static Field Bytes => new(Binary);
    private static Field StructOf(string name) => new(Struct, name);
    private static Field ListOf(int elementType, string? structName = null) => new(List, structName, elementType);

    private static readonly Field Empty = StructOf("Empty");

    public static FrozenDictionary<string, FrozenDictionary<int, Field>> Structs { get; } = new Dictionary<string, Dictionary<int, Field>>
    {
        ["Empty"] = [],
        ["FileMetaData"] = new()
        {
            [1] = Int32, [2] = ListOf(Struct, "SchemaElement"), [3] = Int64, [4] = ListOf(Struct, "RowGroup"),
            [5] = ListOf(Struct, "KeyValue"), [6] = Bytes, [7] = ListOf(Struct, "ColumnOrder"),
        },
        ["SchemaElement"] = new()
        {
            [1] = Int32, [2] = Int32, [3] = Int32, [4] = Bytes, [5] = Int32, [6] = Int32, [7] = Int32, [8] = Int32, [9] = Int32,
            [10] = StructOf("LogicalType"),
        },
        ["LogicalType"] = new()
        {
            [1] = Empty, [2] = Empty, [3] = Empty, [4] = Empty, [5] = StructOf("DecimalType"), [6] = Empty, [7] = StructOf("TimeType"),
            [8] = StructOf("TimeType"), [10] = StructOf("IntType"), [11] = Empty, [12] = Empty, [13] = Empty, [14] = Empty, [15] = Empty,
        },
        ["DecimalType"] = new() { [1] = Int32, [2] = Int32 },
        ["TimeType"] = new() { [1] = Bool, [2] = StructOf("TimeUnit") },
        ["TimeUnit"] = new() { [1] = Empty, [2] = Empty, [3] = Empty },
        ["IntType"] = new() { [1] = Int8, [2] = Bool },
        ["RowGroup"] = new()
        {
            [1] = ListOf(Struct, "ColumnChunk"), [2] = Int64, [3] = Int64, [4] = ListOf(Struct, "SortingColumn"), [5] = Int64, [6] = Int64,
            [7] = Int16,
        },
        ["SortingColumn"] = new() { [1] = Int32, [2] = Bool, [3] = Bool },
        ["ColumnChunk"] = new()
        {
            [2] = Int64, [3] = StructOf("ColumnMetaData"), [4] = Int64, [5] = Int32, [6] = Int64, [7] = Int32,
        },
        ["ColumnMetaData"] = new()
        {
            [1] = Int32, [2] = ListOf(I32), [3] = ListOf(Binary), [4] = Int32, [5] = Int64, [6] = Int64, [7] = Int64,
            [8] = ListOf(Struct, "KeyValue"), [9] = Int64, [10] = Int64, [11] = Int64, [12] = StructOf("Statistics"),
            [13] = ListOf(Struct, "PageEncodingStats"), [14] = Int64, [15] = Int32, [16] = StructOf("SizeStatistics"),
        },
        ["SizeStatistics"] = new() { [1] = Int64, [2] = ListOf(I64), [3] = ListOf(I64) },
        ["Statistics"] = new() { [1] = Bytes, [2] = Bytes, [3] = Int64, [4] = Int64, [5] = Bytes, [6] = Bytes, [7] = Bool, [8] = Bool },
        ["PageEncodingStats"] = new() { [1] = Int32, [2] = Int32, [3] = Int32 },
        ["KeyValue"] = new() { [1] = Bytes, [2] = Bytes },
        ["ColumnOrder"] = new() { [1] = Empty },
        ["PageHeader"] = new()
        {
            [1] = Int32, [2] = Int32, [3] = Int32, [4] = Int32, [5] = StructOf("DataPageHeader"), [6] = Empty, [7] = StructOf("DictionaryPageHeader"),
            [8] = StructOf("DataPageHeaderV2"),
        },
        ["DataPageHeader"] = new() { [1] = Int32, [2] = Int32, [3] = Int32, [4] = Int32, [5] = StructOf("Statistics") },
        ["DictionaryPageHeader"] = new() { [1] = Int32, [2] = Int32, [3] = Bool },
        ["DataPageHeaderV2"] = new() { [1] = Int32, [2] = Int32, [3] = Int32, [4] = Int32, [5] = Int32, [6] = Int32, [7] = Bool, [8] = StructOf("Statistics") },
    }.ToFrozenDictionary(s => s.Key, s => s.Value.ToFrozenDictionary(), StringComparer.Ordinal);
}
