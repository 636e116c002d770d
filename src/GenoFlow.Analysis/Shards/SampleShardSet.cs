using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using GenoFlow.Analysis.Execution;
using GenoFlow.Core;
using GenoFlow.Core.Storage;
using Parquet;

namespace GenoFlow.Analysis.Shards;

/// <summary>
/// A sample shard set on disk (layout: <see cref="SampleShardManifest"/>): the rows an analysis over samples works on,
/// cut into shards that the cluster's sample-shard entities load on the nodes that host them. The manifest checksum
/// names this exact version (<see cref="ShardSetRef"/>); every shard file is checked against its xxh3 when loaded.
/// </summary>
public sealed class SampleShardSet
{
    public const string ManifestFile = "manifest.json";

    private SampleShardSet(string path, SampleShardManifest manifest, string manifestChecksum)
    {
        Path = path;
        Manifest = manifest;
        ManifestChecksum = manifestChecksum;
    }

    public string Path { get; }

    public SampleShardManifest Manifest { get; }

    public string ManifestChecksum { get; }

    public int ShardCount => Manifest.Shards.Count;

    public IReadOnlyList<string> Columns => Manifest.Columns;

    /// <summary>Most values one shard may hold (1 GiB of doubles, the default sample shard cache): a manifest claiming more is refused before allocating.</summary>
    public const long MaxShardValues = 1L << 27;

    public static SampleShardSet Open(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        string manifestPath = System.IO.Path.Join(full, ManifestFile);
        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAll(full, manifestPath, BoundedFile.MaxManifestBytes, "sample shard manifest");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new GenoFlowFormatException(manifestPath, "sample shard set not found (is it on a filesystem every node sees?)", inner: e);
        }
        Execution.ScratchTraffic.CountRead(bytes.Length);
        SampleShardManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<SampleShardManifest>(bytes, SampleShardManifest.Json);
        }
        catch (JsonException e)
        {
            throw new GenoFlowFormatException(manifestPath, $"not a sample shard manifest ({e.Message})", inner: e);
        }
        if (manifest is null || manifest.Format != SampleShardManifest.CurrentFormat)
        {
            throw new GenoFlowFormatException(manifestPath, $"format '{manifest?.Format}' is not {SampleShardManifest.CurrentFormat}");
        }
        return new SampleShardSet(full, manifest, SampleShardSetWriter.Hex(XxHash3.HashToUInt64(bytes)));
    }

    /// <summary>Reads shard <paramref name="index"/>; genotypes, when the set has them, come through <paramref name="tiles"/>.</summary>
    public SampleShard LoadShard(int index, TileCache tiles)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ShardCount);
        SampleShardFile file = Manifest.Shards[index];
        string path = System.IO.Path.Join(Path, file.File);
        int columns = Manifest.Columns.Count;
        // The arrays below are sized from the manifest: check its claim before allocating.
        if (file.Rows < 0 || (long)file.Rows * Math.Max(1, columns) > MaxShardValues)
        {
            throw new GenoFlowFormatException(System.IO.Path.Join(Path, ManifestFile), $"shard {index} claims {file.Rows} rows of {columns} values, more than the {MaxShardValues} values a shard may hold");
        }
        byte[] bytes = ReadChecked(path, file.Bytes, file.Xxh3);
        var ids = new string?[file.Rows];
        var indices = new int[file.Rows];
        var values = new double[(long)file.Rows * columns];
        try
        {
            Task.Run(async () =>
            {
                using var input = new MemoryStream(bytes, writable: false);
                ParquetStructure.Check(input, path, file.Rows);
                await using ParquetReader reader = await ParquetReader.CreateAsync(input);
                var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
                int row = 0;
                var column = new double[file.Rows];
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                    int rows = checked((int)group.RowCount);
                    await group.ReadAsync(fields[SampleShardSetWriter.SampleIdColumn], ids.AsMemory(row, rows));
                    await group.ReadAsync<int>(fields[SampleShardSetWriter.SampleIndexColumn], indices.AsMemory(row, rows));
                    for (int c = 0; c < columns; c++)
                    {
                        await group.ReadAsync<double>(fields[SampleShardSetWriter.FeatureColumn(c)], column.AsMemory(0, rows));
                        for (int r = 0; r < rows; r++)
                        {
                            values[(long)(row + r) * columns + c] = column[r];
                        }
                    }
                    row += rows;
                }
                if (row != file.Rows)
                {
                    throw new InvalidDataException($"holds {row} rows, the manifest says {file.Rows}");
                }
            }).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not GenoFlowFormatException)
        {
            throw new GenoFlowFormatException(path, $"not a readable sample shard ({e.Message})", inner: e);
        }
        SampleGenotypes? genotypes = Manifest.Genotypes is { } source ? ShardGenotypeBuilder.Build(source, ReadVariants(source), indices, tiles) : null;
        return new SampleShard(index, file.FirstRow, Array.ConvertAll(ids, id => id ?? ""), indices, columns, values, genotypes);
    }

    private long[] ReadVariants(ShardGenotypeSource source)
    {
        byte[] bytes = ReadChecked(System.IO.Path.Join(Path, source.VariantsFile), source.Bytes, source.Xxh3);
        return MemoryMarshal.Cast<byte, long>(bytes).ToArray();
    }

    private static byte[] ReadChecked(string path, long length, string xxh3)
    {
        byte[] bytes;
        try
        {
            // No more than the manifest says: a file grown (or replaced by something endless) is refused before it is read.
            bytes = BoundedFile.ReadAll(System.IO.Path.GetDirectoryName(path)!, path, length, "shard file");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new GenoFlowFormatException(path, "missing from its sample shard set (is it on a filesystem every node sees?)", inner: e);
        }
        Execution.ScratchTraffic.CountRead(bytes.LongLength);
        string found = SampleShardSetWriter.Hex(XxHash3.HashToUInt64(bytes));
        if (bytes.LongLength != length || found != xxh3)
        {
            throw new GenoFlowFormatException(path, $"checksum mismatch, the file is damaged (expected {length} bytes with xxh3 {xxh3}, found {bytes.LongLength} bytes with {found})");
        }
        return bytes;
    }
}
