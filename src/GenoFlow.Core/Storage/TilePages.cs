using System.Buffers.Binary;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Decodes a tile straight from the bytes of its file when the file has exactly the layout <see cref="TileFileEncoder"/>
/// writes (what Parquet.Net 6.1.0 writes for the same rows): one row group of two uncompressed column chunks,
/// variant_index (INT64) then genotypes (BYTE_ARRAY), each a single plain version-1 data page holding every row and no
/// levels (both columns are required):
/// 8 bytes per variant index; a 4-byte length, then the packed bytes, per row. The rows are copied once, into the
/// tile's buffer; the file was structure-checked (<see cref="ParquetStructure"/>) before, which bounds every page.
/// Why: Parquet.Net copies the page, then every value, before the tile can take them: decoding 2.5 GB of tiles (QC of
/// 100,000 x 100,000) cost ~0.9 s of CPU through it, more than reading and hashing the files. A file of any other layout
/// goes through Parquet.Net as before, whose checks name what is wrong with it.
/// </summary>
internal static class TilePages
{
    private const int LengthBytes = 4;

    /// <param name="file">The whole tile file, as checked.</param>
    /// <param name="allocate">Where the packed rows go; only called once the layout is known to be GenoFlow's.</param>
    /// <returns>False, with nothing allocated, when the file's layout is not the one described above.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> file, IReadOnlyList<ParquetColumnChunk> chunks, int rowCount, int blockBytes, Func<int, byte[]> allocate,
        out long[] variantIndex, out byte[] genotypes)
    {
        variantIndex = [];
        genotypes = [];
        long rowBytes = LengthBytes + (long)blockBytes;
        if (chunks.Count != 2
            || !TryPage(file, chunks[0], ParquetColumnChunk.Int64, rowCount, (long)rowCount * sizeof(long), out ReadOnlySpan<byte> indexPage)
            || !TryPage(file, chunks[1], ParquetColumnChunk.ByteArray, rowCount, rowCount * rowBytes, out ReadOnlySpan<byte> rowsPage))
        {
            return false;
        }
        for (int i = 0; i < rowCount; i++)
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(rowsPage.Slice((int)(i * rowBytes), LengthBytes)) != blockBytes)
            {
                return false;
            }
        }
        variantIndex = new long[rowCount];
        for (int i = 0; i < rowCount; i++)
        {
            variantIndex[i] = BinaryPrimitives.ReadInt64LittleEndian(indexPage.Slice(i * sizeof(long), sizeof(long)));
        }
        genotypes = allocate(rowCount * blockBytes);
        for (int i = 0; i < rowCount; i++)
        {
            rowsPage.Slice((int)(i * rowBytes) + LengthBytes, blockBytes).CopyTo(genotypes.AsSpan(i * blockBytes, blockBytes));
        }
        return true;
    }

    /// <summary>The data of a chunk's only page, when it is a plain, uncompressed version-1 data page of exactly the expected size.</summary>
    private static bool TryPage(ReadOnlySpan<byte> file, ParquetColumnChunk chunk, int physicalType, int values, long bytes, out ReadOnlySpan<byte> data)
    {
        data = default;
        if (chunk.PhysicalType != physicalType || chunk.Codec != ParquetColumnChunk.Uncompressed || chunk.Pages.Count != 1)
        {
            return false;
        }
        ParquetPage page = chunk.Pages[0];
        if (page.Type != ParquetPage.DataPage || page.Encoding != ParquetPage.Plain || page.Values != values
            || page.Bytes != bytes || page.UncompressedBytes != bytes || page.DataOffset < 0 || page.DataOffset > file.Length - bytes)
        {
            return false;
        }
        data = file.Slice((int)page.DataOffset, (int)bytes);
        return true;
    }
}
