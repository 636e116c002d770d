using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace GenoFlow.Analysis.Shards;

/// <summary>
/// Writes a sample shard set row by row, one shard file at a time (memory: one shard). Nothing is visible at the target
/// path until <see cref="Commit"/>: the set is built in a temporary directory beside it, then renamed into place,
/// replacing an older set there. Disposing without committing deletes the temporary directory.
/// </summary>
public sealed class SampleShardSetWriter : IDisposable
{
    private static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.Snappy };

    private readonly string _target;
    private readonly string _temporary;
    private readonly IReadOnlyList<string> _columns;
    private readonly int _rowsPerShard;
    private ShardGenotypeSource? _genotypes;
    private readonly List<SampleShardFile> _shards = [];
    private readonly List<string> _ids = [];
    private readonly List<int> _indices = [];
    private readonly List<double> _values = [];
    private long _rows;
    private bool _committed;

    private SampleShardSetWriter(string target, IReadOnlyList<string> columns, int rowsPerShard)
    {
        _target = target;
        _temporary = $"{target}.tmp-{Guid.NewGuid():N}";
        _columns = columns;
        _rowsPerShard = rowsPerShard;
        Directory.CreateDirectory(_temporary);
    }

    /// <summary>Starts a set of feature rows only.</summary>
    public static SampleShardSetWriter Create(string path, IReadOnlyList<string> columns, int rowsPerShard)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowsPerShard);
        return new SampleShardSetWriter(Path.GetFullPath(path), [.. columns], rowsPerShard);
    }

    /// <summary>
    /// Starts a set whose shards also carry genotypes at <paramref name="variants"/> (ascending variant indices) of
    /// <paramref name="dataset"/>; every row then names its dataset sample index.
    /// </summary>
    public static SampleShardSetWriter Create(string path, IReadOnlyList<string> columns, int rowsPerShard, Execution.DatasetRef dataset, ReadOnlySpan<long> variants)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        for (int i = 1; i < variants.Length; i++)
        {
            if (variants[i] <= variants[i - 1])
            {
                throw new ArgumentException("variant indices must be strictly ascending", nameof(variants));
            }
        }
        var writer = Create(path, columns, rowsPerShard);
        const string variantsFile = "variants.bin";
        byte[] bytes = MemoryMarshal.AsBytes(variants).ToArray();
        File.WriteAllBytes(Path.Join(writer._temporary, variantsFile), bytes);
        writer._genotypes = new ShardGenotypeSource(Path.GetFullPath(dataset.Path), dataset.ManifestChecksum, variantsFile, variants.Length, bytes.LongLength, Hex(XxHash3.HashToUInt64(bytes)));
        return writer;
    }

    /// <summary>Appends one row: a sample, its dataset sample index (-1 when there is none) and one value per column.</summary>
    public void Add(string sampleId, int sampleIndex, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(sampleId);
        ObjectDisposedException.ThrowIf(_committed, this);
        if (values.Length != _columns.Count)
        {
            throw new ArgumentException($"{values.Length} values for {_columns.Count} columns", nameof(values));
        }
        if (_genotypes is not null && sampleIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleIndex), "a shard set with genotypes needs each row's dataset sample index");
        }
        _ids.Add(sampleId);
        _indices.Add(sampleIndex);
        foreach (double v in values)
        {
            _values.Add(v);
        }
        if (_ids.Count == _rowsPerShard)
        {
            FlushShard();
        }
    }

    /// <summary>Writes the last shard and the manifest and moves the set into place.</summary>
    public SampleShardSet Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (_ids.Count > 0)
        {
            FlushShard();
        }
        var manifest = new SampleShardManifest(SampleShardManifest.CurrentFormat, _columns, _rows, _shards, _genotypes);
        File.WriteAllBytes(Path.Join(_temporary, SampleShardSet.ManifestFile), JsonSerializer.SerializeToUtf8Bytes(manifest, SampleShardManifest.Json));
        if (Directory.Exists(_target))
        {
            Directory.Delete(_target, recursive: true);
        }
        Directory.Move(_temporary, _target);
        _committed = true;
        return SampleShardSet.Open(_target);
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(_temporary))
        {
            Directory.Delete(_temporary, recursive: true);
        }
        _committed = true;
    }

    internal static string Hex(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    internal const string SampleIdColumn = "sample_id";
    internal const string SampleIndexColumn = "sample_index";

    internal static string FeatureColumn(int column) => $"f{column.ToString(CultureInfo.InvariantCulture)}";

    private void FlushShard()
    {
        int index = _shards.Count;
        string file = string.Create(CultureInfo.InvariantCulture, $"shard-{index:D5}.parquet");
        string path = Path.Join(_temporary, file);
        int rows = _ids.Count;
        int columns = _columns.Count;
        // Parquet.Net ties a field to one schema, so every file gets its own.
        var sampleId = new DataField<string>(SampleIdColumn, false);
        var sampleIndex = new DataField<int>(SampleIndexColumn);
        var features = Enumerable.Range(0, columns).Select(c => new DataField<double>(FeatureColumn(c))).ToArray();
        using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
        {
            Task.Run(async () =>
            {
                await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema([sampleId, sampleIndex, .. features]), output, WriteOptions);
                using ParquetRowGroupWriter group = writer.CreateRowGroup();
                await group.WriteAsync(sampleId, _ids.ToArray());
                await group.WriteAsync<int>(sampleIndex, _indices.ToArray());
                var column = new double[rows];
                for (int c = 0; c < columns; c++)
                {
                    for (int r = 0; r < rows; r++)
                    {
                        column[r] = _values[r * columns + c];
                    }
                    await group.WriteAsync<double>(features[c], column);
                }
                group.CompleteValidate();
            }).GetAwaiter().GetResult();
        }
        var bytes = File.ReadAllBytes(path);
        _shards.Add(new SampleShardFile(index, _rows, rows, file, bytes.LongLength, Hex(XxHash3.HashToUInt64(bytes))));
        _rows += rows;
        _ids.Clear();
        _indices.Clear();
        _values.Clear();
    }
}
