using System.Buffers.Binary;
using GenoFlow.Core.Storage;

namespace GenoFlow.Core.Tests.Storage;

/// <summary>
/// The direct tile decoder: a tile as <see cref="TileFileEncoder"/> writes it is read from its page without Parquet.Net
/// and gives the rows Parquet.Net gives; a tile of any other layout is left to Parquet.Net (and its errors).
/// </summary>
public sealed class TilePagesTests
{
    private const int Rows = 7;
    private const int BlockBytes = 5;

    [Fact]
    public void A_tile_as_GenoFlow_writes_it_is_decoded_from_its_page_to_the_rows_written()
    {
        byte[] rows = RandomRows(seed: 1);
        byte[] file = EncodeTile(firstVariant: 40, rows);

        IReadOnlyList<ParquetColumnChunk> chunks = ParquetStructure.Check(new MemoryStream(file), "tile", Rows);
        bool direct = TilePages.TryDecode(file, chunks, Rows, BlockBytes, length => new byte[length], out long[] variantIndex, out byte[] genotypes);

        Assert.True(direct, "TileCodec's own layout was not recognised, so every tile would go through Parquet.Net");
        Assert.Equal(Enumerable.Range(40, Rows).Select(v => (long)v), variantIndex);
        Assert.Equal(rows, genotypes);
        Assert.Equal(rows, TileCodec.Decode(file, "tile", 40, Rows, BlockBytes).Genotypes);
    }

    [Fact]
    public void A_row_of_the_wrong_length_is_left_to_Parquet_Net_which_names_the_variant()
    {
        byte[] file = EncodeTile(firstVariant: 0, RandomRows(seed: 2));
        IReadOnlyList<ParquetColumnChunk> chunks = ParquetStructure.Check(new MemoryStream(file), "tile", Rows);
        // The third row's length prefix, in the genotypes page: 4 bytes of length, then the row, per row.
        int lengthAt = (int)chunks[1].Pages[0].DataOffset + 2 * (4 + BlockBytes);
        Assert.Equal(BlockBytes, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(lengthAt)));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(lengthAt), BlockBytes - 1);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(lengthAt + 4 + BlockBytes - 1), BlockBytes + 1);

        bool allocated = false;
        bool direct = TilePages.TryDecode(file, chunks, Rows, BlockBytes, length => { allocated = true; return new byte[length]; }, out _, out _);
        var error = Assert.Throws<GenoFlowFormatException>(() => TileCodec.Decode(file, "tile", 0, Rows, BlockBytes));

        Assert.False(direct);
        Assert.False(allocated, "nothing may be allocated for a tile the direct decoder refuses");
        Assert.Contains("variant 2 holds 4 genotype bytes, the block needs 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tile_of_fewer_rows_than_its_region_is_not_decoded_directly()
    {
        byte[] file = EncodeTile(firstVariant: 0, RandomRows(seed: 3));
        IReadOnlyList<ParquetColumnChunk> chunks = ParquetStructure.Check(new MemoryStream(file), "tile", Rows + 1);

        Assert.False(TilePages.TryDecode(file, chunks, Rows + 1, BlockBytes, length => new byte[length], out _, out _));
        Assert.Throws<GenoFlowFormatException>(() => TileCodec.Decode(file, "tile", 0, Rows + 1, BlockBytes));
    }

    private static byte[] RandomRows(int seed)
    {
        var rows = new byte[Rows * BlockBytes];
        new Random(seed).NextBytes(rows);
        return rows;
    }

    private static byte[] EncodeTile(long firstVariant, byte[] rows)
    {
        byte[] file = new byte[TileFileEncoder.MaxBytes(Rows, BlockBytes)];
        return file[..TileFileEncoder.Encode(file, firstVariant, Rows, rows, BlockBytes, 0, BlockBytes)];
    }
}
