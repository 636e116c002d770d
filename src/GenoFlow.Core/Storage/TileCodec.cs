using System.Buffers;
using System.IO.Hashing;
using Parquet;

namespace GenoFlow.Core.Storage;

/// <summary>One tile decoded: the first <see cref="RowCount"/> x <see cref="BlockBytes"/> bytes of <see cref="Genotypes"/> hold the rows back to back.</summary>
internal sealed record TileData(long[] VariantIndex, byte[] Genotypes, int BlockBytes)
{
    public int RowCount => VariantIndex.Length;
}

/// <summary>Encodes and decodes tile files (schema in <see cref="DatasetLayout"/>).</summary>
internal static class TileCodec
{
    /// <summary>
    /// Writes rows [0, <paramref name="rowCount"/>) of a row-major buffer (row stride <paramref name="rowStride"/>) as a
    /// new tile file at <paramref name="path"/>, taking <paramref name="blockBytes"/> bytes of each row from
    /// <paramref name="byteOffset"/>; returns the file's size and xxh3. The file is encoded by <see cref="TileFileEncoder"/>
    /// into a pooled buffer: a new array of megabytes per tile cost the import page faults and large-object collections.
    /// </summary>
    public static DataFileInfo Write(string path, long firstVariant, int rowCount, byte[] rows, int rowStride, int byteOffset, int blockBytes)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(TileFileEncoder.MaxBytes(rowCount, blockBytes));
        try
        {
            ReadOnlySpan<byte> bytes = buffer.AsSpan(0, TileFileEncoder.Encode(buffer, firstVariant, rowCount, rows, rowStride, byteOffset, blockBytes));
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                file.Write(bytes);
            }
            return new DataFileInfo(bytes.Length, DatasetLayout.FormatXxh3(XxHash3.HashToUInt64(bytes)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses a tile file and checks its shape; <paramref name="file"/> names it in errors.</summary>
    /// <param name="allocate">Where the packed rows go: an array of at least the given length (default: a new one of exactly that length).</param>
    public static TileData Decode(ArraySegment<byte> contents, string file, long firstVariant, int rowCount, int blockBytes, Func<int, byte[]>? allocate = null)
    {
        long[] variantIndex;
        byte[] genotypes;
        allocate ??= static length => GC.AllocateUninitializedArray<byte>(length);
        try
        {
            using var input = new MemoryStream(contents.Array!, contents.Offset, contents.Count, writable: false);
            IReadOnlyList<ParquetColumnChunk> chunks = ParquetStructure.Check(input, file, rowCount);
            if (!TilePages.TryDecode(contents, chunks, rowCount, blockBytes, allocate, out variantIndex, out genotypes))
            {
                (variantIndex, genotypes) = DecodeWithParquetNet(input, file, firstVariant, rowCount, blockBytes, allocate);
            }
        }
        catch (Exception e) when (e is not GenoFlowFormatException)
        {
            // Parquet.Net's messages can run over several lines ("Actual value was …"): one line per error.
            throw new GenoFlowFormatException(file, $"not a readable tile ({e.Message.Split('\n', 2)[0].TrimEnd('\r')}); the dataset is damaged", inner: e);
        }
        for (int i = 0; i < variantIndex.Length; i++)
        {
            if (variantIndex[i] != firstVariant + i)
            {
                throw Shape(file, $"row {i} is variant {variantIndex[i]}, expected {firstVariant + i}");
            }
        }
        return new TileData(variantIndex, genotypes, blockBytes);
    }

    /// <summary>A tile of another layout than <see cref="TilePages"/> reads (or a damaged one): through Parquet.Net, which names the problem.</summary>
    private static (long[] VariantIndex, byte[] Genotypes) DecodeWithParquetNet(Stream input, string file, long firstVariant, int rowCount, int blockBytes, Func<int, byte[]> allocate) =>
        Sync.Run(async () =>
        {
            await using ParquetReader reader = await ParquetReader.CreateAsync(input, null, true, default);
            if (reader.RowGroupCount != 1)
            {
                throw Shape(file, $"holds {reader.RowGroupCount} row groups, a tile has exactly 1");
            }
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(0);
            if (group.RowCount != rowCount)
            {
                throw Shape(file, $"holds {group.RowCount} variants, its region has {rowCount}");
            }
            var ids = new long[rowCount];
            var rows = new ReadOnlyMemory<byte>[rowCount];
            await group.ReadAsync<long>(DatasetLayout.TileColumns.VariantIndex, ids, null, default);
            await group.ReadAsync<ReadOnlyMemory<byte>>(DatasetLayout.TileColumns.Genotypes, rows, null, default);
            for (int i = 0; i < rowCount; i++)
            {
                if (rows[i].Length != blockBytes)
                {
                    throw Shape(file, $"variant {firstVariant + i} holds {rows[i].Length} genotype bytes, the block needs {blockBytes}");
                }
            }
            // Copy while the reader's buffers are alive.
            byte[] packed = allocate(rowCount * blockBytes);
            for (int i = 0; i < rowCount; i++)
            {
                rows[i].Span.CopyTo(packed.AsSpan(i * blockBytes, blockBytes));
            }
            return (ids, packed);
        });

    private static GenoFlowFormatException Shape(string file, string problem) =>
        new(file, $"wrong tile shape: {problem}; the dataset is damaged");
}
