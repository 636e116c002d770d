using System.Buffers.Binary;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Encodes a tile file (schema in <see cref="DatasetLayout"/>) straight into a buffer, byte for byte as Parquet.Net
/// 6.1.0 writes it with the tile schema and no compression (<c>TileFileEncoderTests</c> holds the two side by side over
/// many shapes), so tiles, their xxh3 in the manifest and everything downstream are the same whichever wrote them:
/// <code>
///   PAR1
///   variant_index chunk   page header, then rowCount x int64 little-endian
///   genotypes chunk       page header, then per row a 4-byte little-endian length and the row's bytes
///   FileMetaData          schema, one row group of the two column chunks' metadata, created_by
///   metadata length (4 bytes little-endian), PAR1
/// </code>
/// Each chunk is one plain, uncompressed version-1 data page without levels (both columns are required), the layout
/// <see cref="TilePages"/> reads back. Statistics are what Parquet.Net records: for variant_index the minimum and
/// maximum (in both the deprecated and the current fields) and a null count of 0, for genotypes only the null count;
/// the page header and the column metadata carry the same statistics.
/// Why not Parquet.Net: its generic writer path is compiled by the JIT in every process (no ReadyToRun code for its
/// instantiations), which was about 30% of the CPU of importing a 20,000 x 50,000 .bed, and it copies every page
/// through its own streams before the file buffer.
/// </summary>
internal static class TileFileEncoder
{
    /// <summary>
    /// What Parquet.Net 6.1.0 (the package this build references) writes as created_by. A tile is GenoFlow's own fixed
    /// format: upgrading Parquet.Net changes nothing here, and the byte-identity test then says whether it still agrees.
    /// </summary>
    private static ReadOnlySpan<byte> CreatedBy => "Parquet.Net version 6.1.0 (build c179d97bd2549b5f44a9241e729f869d4947ee59)"u8;

    // parquet.thrift enum values.
    private const int Required = 0;
    private const int ConvertedInt64 = 18;
    private const int Rle = 3;

    private const int LengthBytes = 4;

    /// <summary>Room for the magic, both page headers, the footer and its tail: about 400 bytes are used.</summary>
    private const int MetadataRoom = 1024;

    /// <summary>The largest file <see cref="Encode"/> writes for this shape.</summary>
    public static int MaxBytes(int rowCount, int blockBytes) =>
        checked(rowCount * (sizeof(long) + LengthBytes + blockBytes) + MetadataRoom);

    /// <summary>
    /// Writes the tile of rows [0, <paramref name="rowCount"/>) of a row-major buffer (row stride
    /// <paramref name="rowStride"/>), taking <paramref name="blockBytes"/> bytes of each row from
    /// <paramref name="byteOffset"/>, variant indices from <paramref name="firstVariant"/>, into <paramref name="file"/>
    /// (at least <see cref="MaxBytes"/> long); returns the file's length.
    /// </summary>
    public static int Encode(Span<byte> file, long firstVariant, int rowCount, ReadOnlySpan<byte> rows, int rowStride, int byteOffset, int blockBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(file.Length, MaxBytes(rowCount, blockBytes), nameof(file));
        long lastVariant = firstVariant + rowCount - 1;
        var writer = new ThriftCompactWriter(file);
        "PAR1"u8.CopyTo(writer.Take(4));

        int indexChunk = writer.Position;
        int indexValues = rowCount * sizeof(long);
        PageHeader(ref writer, rowCount, indexValues, (firstVariant, lastVariant));
        Span<byte> indices = writer.Take(indexValues);
        for (int i = 0; i < rowCount; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(indices[(i * sizeof(long))..], firstVariant + i);
        }

        int genotypesChunk = writer.Position;
        int genotypeValues = rowCount * (LengthBytes + blockBytes);
        PageHeader(ref writer, rowCount, genotypeValues, range: null);
        Span<byte> genotypes = writer.Take(genotypeValues);
        for (int i = 0; i < rowCount; i++)
        {
            Span<byte> value = genotypes.Slice(i * (LengthBytes + blockBytes), LengthBytes + blockBytes);
            BinaryPrimitives.WriteInt32LittleEndian(value, blockBytes);
            rows.Slice(i * rowStride + byteOffset, blockBytes).CopyTo(value[LengthBytes..]);
        }

        int metadata = writer.Position;
        var chunks = new ChunkLayout(indexChunk, genotypesChunk - indexChunk, genotypesChunk, metadata - genotypesChunk);
        FileMetaData(ref writer, rowCount, chunks, (firstVariant, lastVariant));
        int metadataBytes = writer.Position - metadata;
        BinaryPrimitives.WriteInt32LittleEndian(writer.Take(4), metadataBytes);
        "PAR1"u8.CopyTo(writer.Take(4));
        return writer.Position;
    }

    /// <summary>Where each column chunk starts in the file and how many bytes (page header and values) it takes.</summary>
    private readonly record struct ChunkLayout(int IndexOffset, int IndexBytes, int GenotypesOffset, int GenotypesBytes);

    private static void PageHeader(ref ThriftCompactWriter writer, int rowCount, int valueBytes, (long Min, long Max)? range)
    {
        int header = writer.BeginStructElement();
        writer.I32(1, ParquetPage.DataPage); // type
        writer.I32(2, valueBytes); // uncompressed_page_size
        writer.I32(3, valueBytes); // compressed_page_size
        int dataPage = writer.BeginStruct(5); // data_page_header
        writer.I32(1, rowCount); // num_values
        writer.I32(2, ParquetPage.Plain); // encoding
        writer.I32(3, Rle); // definition_level_encoding
        writer.I32(4, Rle); // repetition_level_encoding
        Statistics(ref writer, 5, range);
        writer.EndStruct(dataPage);
        writer.EndStruct(header);
    }

    /// <summary>Statistics as Parquet.Net records them: a null count of 0, and the range of an int64 column.</summary>
    private static void Statistics(ref ThriftCompactWriter writer, int id, (long Min, long Max)? range)
    {
        int statistics = writer.BeginStruct(id);
        Span<byte> min = stackalloc byte[sizeof(long)];
        Span<byte> max = stackalloc byte[sizeof(long)];
        if (range is var (low, high))
        {
            BinaryPrimitives.WriteInt64LittleEndian(min, low);
            BinaryPrimitives.WriteInt64LittleEndian(max, high);
            writer.Binary(1, max); // max (deprecated)
            writer.Binary(2, min); // min (deprecated)
        }
        writer.I64(3, 0); // null_count
        if (range is not null)
        {
            writer.Binary(5, max); // max_value
            writer.Binary(6, min); // min_value
        }
        writer.EndStruct(statistics);
    }

    private static void FileMetaData(ref ThriftCompactWriter writer, int rowCount, ChunkLayout chunks, (long Min, long Max) range)
    {
        int file = writer.BeginStructElement();
        writer.I32(1, 1); // version
        writer.List(2, ThriftSchema.Struct, 3); // schema
        int root = writer.BeginStructElement();
        writer.Binary(4, "root"u8); // name
        writer.I32(5, 2); // num_children
        writer.EndStruct(root);
        int index = writer.BeginStructElement();
        writer.I32(1, ParquetColumnChunk.Int64); // type
        writer.I32(3, Required); // repetition_type
        writer.Binary(4, "variant_index"u8); // name
        writer.I32(6, ConvertedInt64); // converted_type
        int logicalType = writer.BeginStruct(10); // logicalType
        int integer = writer.BeginStruct(10); // INTEGER
        writer.Byte(1, 64); // bitWidth
        writer.Bool(2, true); // isSigned
        writer.EndStruct(integer);
        writer.EndStruct(logicalType);
        writer.EndStruct(index);
        int genotypes = writer.BeginStructElement();
        writer.I32(1, ParquetColumnChunk.ByteArray); // type
        writer.I32(3, Required); // repetition_type
        writer.Binary(4, "genotypes"u8); // name
        writer.EndStruct(genotypes);
        writer.I64(3, rowCount); // num_rows
        writer.List(4, ThriftSchema.Struct, 1); // row_groups
        int rowGroup = writer.BeginStructElement();
        writer.List(1, ThriftSchema.Struct, 2); // columns
        ColumnChunk(ref writer, ParquetColumnChunk.Int64, "variant_index"u8, rowCount, chunks.IndexOffset, chunks.IndexBytes, range);
        ColumnChunk(ref writer, ParquetColumnChunk.ByteArray, "genotypes"u8, rowCount, chunks.GenotypesOffset, chunks.GenotypesBytes, range: null);
        long totalBytes = (long)chunks.IndexBytes + chunks.GenotypesBytes;
        writer.I64(2, totalBytes); // total_byte_size
        writer.I64(3, rowCount); // num_rows
        writer.I64(6, totalBytes); // total_compressed_size
        writer.EndStruct(rowGroup);
        writer.Binary(6, CreatedBy); // created_by
        writer.EndStruct(file);
    }

    private static void ColumnChunk(ref ThriftCompactWriter writer, int type, ReadOnlySpan<byte> name, int rowCount, int offset, int bytes, (long Min, long Max)? range)
    {
        int chunk = writer.BeginStructElement();
        writer.I64(2, offset); // file_offset
        int metadata = writer.BeginStruct(3); // meta_data
        writer.I32(1, type); // type
        writer.List(2, ThriftSchema.I32, 2); // encodings: the values', then the levels' (both declared, neither written)
        writer.I32Element(ParquetPage.Plain);
        writer.I32Element(Rle);
        writer.List(3, ThriftSchema.Binary, 1); // path_in_schema
        writer.BinaryElement(name);
        writer.I32(4, ParquetColumnChunk.Uncompressed); // codec
        writer.I64(5, rowCount); // num_values
        writer.I64(6, bytes); // total_uncompressed_size
        writer.I64(7, bytes); // total_compressed_size
        writer.I64(9, offset); // data_page_offset
        Statistics(ref writer, 12, range);
        writer.EndStruct(metadata);
        writer.EndStruct(chunk);
    }
}
