using GenoFlow.Core.Storage;
using Parquet;

namespace GenoFlow.Core.Tests.Storage;

/// <summary>
/// The direct tile encoder against Parquet.Net, the writer of every tile before it and still the reference: the same
/// rows give the same bytes (so tile files, their xxh3 in manifests and everything downstream are unchanged), over
/// shapes that move every varint and list header across its length boundaries, and the files read back both through
/// Parquet.Net and through <see cref="TileCodec.Decode"/>.
/// </summary>
public sealed class TileFileEncoderTests
{
    /// <summary>Row counts, block bytes, first variants and row contents; each shape also cut from a wider row.</summary>
    public static TheoryData<int, int, long, string> Shapes()
    {
        var shapes = new TheoryData<int, int, long, string>();
        int[] rowCounts = [1, 2, 7, 14, 15, 16, 63, 64, 4096];
        int[] blockBytes = [0, 1, 2, 3, 5, 12, 13, 59, 60, 123, 124, 1000, 2047, 2048, 2049];
        long[] firstVariants = [0, 1, 63, 64, 8191, 8192, int.MaxValue, 1L << 40, long.MaxValue - 5000];
        string[] contents = ["random", "zeros", "ones"];
        int i = 0;
        foreach (int rows in rowCounts)
        {
            foreach (int bytes in blockBytes)
            {
                // Every content and first variant, spread over the shapes rather than multiplied by them.
                shapes.Add(rows, bytes, firstVariants[i % firstVariants.Length], contents[i % contents.Length]);
                i++;
            }
        }
        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_tile_is_the_bytes_Parquet_Net_writes_and_reads_back_through_both_readers(int rowCount, int blockBytes, long firstVariant, string content)
    {
        const int OffsetInRow = 3;
        int rowStride = blockBytes + OffsetInRow + 2;
        byte[] rows = Rows(rowCount * rowStride, content, seed: rowCount * 31 + blockBytes);

        byte[] direct = EncodeDirectly(firstVariant, rowCount, rows, rowStride, OffsetInRow, blockBytes);
        byte[] reference = EncodeWithParquetNet(firstVariant, rowCount, rows, rowStride, OffsetInRow, blockBytes);

        AssertSameBytes(reference, direct);
        byte[] packed = Packed(rows, rowCount, rowStride, OffsetInRow, blockBytes);
        TileData decoded = TileCodec.Decode(direct, "tile", firstVariant, rowCount, blockBytes);
        Assert.Equal(Enumerable.Range(0, rowCount).Select(i => firstVariant + i), decoded.VariantIndex);
        Assert.Equal(packed, decoded.Genotypes);
        (long[] ids, byte[][] values) = ReadWithParquetNet(direct);
        Assert.Equal(decoded.VariantIndex, ids);
        Assert.Equal(packed, values.SelectMany(v => v).ToArray());
        Assert.All(values, v => Assert.Equal(blockBytes, v.Length));
    }

    [Fact]
    public void Random_shapes_are_the_bytes_Parquet_Net_writes()
    {
        var random = new Random(12);
        for (int trial = 0; trial < 200; trial++)
        {
            int rowCount = random.Next(1, 300);
            int blockBytes = random.Next(0, 600);
            int offset = random.Next(0, 9);
            int rowStride = blockBytes + offset + random.Next(0, 9);
            long firstVariant = random.NextInt64(0, long.MaxValue - rowCount);
            byte[] rows = new byte[rowCount * rowStride];
            random.NextBytes(rows);

            byte[] direct = EncodeDirectly(firstVariant, rowCount, rows, rowStride, offset, blockBytes);
            byte[] reference = EncodeWithParquetNet(firstVariant, rowCount, rows, rowStride, offset, blockBytes);

            AssertSameBytes(reference, direct, $"trial {trial}: {rowCount} rows of {blockBytes} bytes from {firstVariant}: ");
        }
    }

    [Fact]
    public void A_buffer_shorter_than_the_largest_tile_of_the_shape_is_refused_before_anything_is_written()
    {
        byte[] rows = new byte[4 * 10];
        byte[] file = new byte[TileFileEncoder.MaxBytes(4, 10) - 1];

        Assert.Throws<ArgumentOutOfRangeException>(() => TileFileEncoder.Encode(file, 0, 4, rows, 10, 0, 10));
        Assert.All(file, b => Assert.Equal(0, b));
    }

    [Fact]
    public void An_imported_dataset_s_tiles_are_what_Parquet_Net_writes_for_their_rows()
    {
        using var dir = new TempDirectory();
        string path = dir.Join("ds");
        TestMatrix.Random(21, [9, 5]).WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
        using Dataset dataset = Dataset.Open(path);
        int tiles = 0;
        foreach (string relative in dataset.Manifest.Files.Keys.Where(f => f.Contains("/tiles/", StringComparison.Ordinal)))
        {
            byte[] file = File.ReadAllBytes(Path.Join(path, relative));
            (long[] ids, byte[][] values) = ReadWithParquetNet(file);
            byte[] rows = values.SelectMany(v => v).ToArray();
            int blockBytes = values[0].Length;

            AssertSameBytes(EncodeWithParquetNet(ids[0], ids.Length, rows, blockBytes, 0, blockBytes), file, relative + ": ");
            tiles++;
        }
        Assert.Equal(5 * 3, tiles); // 9 + 5 variants in regions of at most 4 (4, 4, 1 and 4, 1: a contig starts a region), 21 samples in blocks of 8
    }

    private static byte[] EncodeDirectly(long firstVariant, int rowCount, byte[] rows, int rowStride, int byteOffset, int blockBytes)
    {
        byte[] buffer = new byte[TileFileEncoder.MaxBytes(rowCount, blockBytes)];
        int length = TileFileEncoder.Encode(buffer, firstVariant, rowCount, rows, rowStride, byteOffset, blockBytes);
        return buffer[..length];
    }

    /// <summary>How tiles were written before the direct encoder: the tile schema, uncompressed, one row group.</summary>
    private static byte[] EncodeWithParquetNet(long firstVariant, int rowCount, byte[] rows, int rowStride, int byteOffset, int blockBytes)
    {
        var variantIndex = new long[rowCount];
        var genotypes = new ReadOnlyMemory<byte>[rowCount];
        for (int i = 0; i < rowCount; i++)
        {
            variantIndex[i] = firstVariant + i;
            genotypes[i] = rows.AsMemory(i * rowStride + byteOffset, blockBytes);
        }
        using var output = new MemoryStream();
        Sync.Run(async () =>
        {
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.None };
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(DatasetLayout.TileColumns.Schema, output, options, false, default);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            await group.WriteAsync<long>(DatasetLayout.TileColumns.VariantIndex, variantIndex);
            await group.WriteAsync<ReadOnlyMemory<byte>>(DatasetLayout.TileColumns.Genotypes, genotypes);
            group.CompleteValidate();
        });
        return output.ToArray();
    }

    private static (long[] Ids, byte[][] Values) ReadWithParquetNet(byte[] file) =>
        Sync.Run(async () =>
        {
            await using ParquetReader reader = await ParquetReader.CreateAsync(new MemoryStream(file), null, false, default);
            Assert.Equal(1, reader.RowGroupCount);
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(0);
            int rowCount = checked((int)group.RowCount);
            var ids = new long[rowCount];
            var values = new ReadOnlyMemory<byte>[rowCount];
            await group.ReadAsync<long>(DatasetLayout.TileColumns.VariantIndex, ids, null, default);
            await group.ReadAsync<ReadOnlyMemory<byte>>(DatasetLayout.TileColumns.Genotypes, values, null, default);
            return (ids, values.Select(v => v.ToArray()).ToArray());
        });

    /// <summary>Equal bytes, or the first offset where they differ (a whole-array message of megabytes says nothing).</summary>
    private static void AssertSameBytes(byte[] expected, byte[] actual, string context = "")
    {
        int differs = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(differs == expected.Length && differs == actual.Length,
            $"{context}the direct encoding differs from Parquet.Net's at byte {differs} (lengths {actual.Length} and {expected.Length})");
    }

    private static byte[] Rows(int length, string content, int seed)
    {
        byte[] rows = new byte[length];
        switch (content)
        {
            case "zeros":
                break;
            case "ones":
                rows.AsSpan().Fill(0xff);
                break;
            default:
                new Random(seed).NextBytes(rows);
                break;
        }
        return rows;
    }

    private static byte[] Packed(byte[] rows, int rowCount, int rowStride, int byteOffset, int blockBytes)
    {
        byte[] packed = new byte[rowCount * blockBytes];
        for (int i = 0; i < rowCount; i++)
        {
            rows.AsSpan(i * rowStride + byteOffset, blockBytes).CopyTo(packed.AsSpan(i * blockBytes));
        }
        return packed;
    }
}
