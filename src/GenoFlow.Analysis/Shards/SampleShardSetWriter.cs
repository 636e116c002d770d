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
/// replacing an older set there. Disposing without committing deletes the temporary directory. A committed set's bytes
/// count as written into <see cref="Execution.ScratchTraffic.Current"/> (shard sets live in job scratch areas).
/// </summary>
public sealed class SampleShardSetWriter : IDisposable
{
    // Feature values (PC scores, measurements) are nearly all distinct and hardly compress: shards are stored without
    // compression, and dictionary encoding is ruled out from a sample of 1,024 values instead of a hash of every column.
    private static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.None, DictionaryEncodingSampleSize = 1024 };

    private readonly string _target;
    private readonly string _temporary;
    private readonly IReadOnlyList<string> _columns;
    private readonly int _rowsPerShard;
    private ShardGenotypeSource? _genotypes;
    private readonly List<SampleShardFile> _shards = [];
    private readonly Queue<Task<SampleShardFile>> _writing = new();
    // The shard being filled: _filled rows so far, its arrays grown by doubling up to one shard.
    private string[] _ids = [];
    private int[] _indices = [];
    private double[] _values = [];
    private int _filled;
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
        if (_filled == _ids.Length)
        {
            int capacity = Math.Min(_rowsPerShard, Math.Max(1024, 2 * _filled));
            Array.Resize(ref _ids, capacity);
            Array.Resize(ref _indices, capacity);
            Array.Resize(ref _values, capacity * _columns.Count);
        }
        _ids[_filled] = sampleId;
        _indices[_filled] = sampleIndex;
        values.CopyTo(_values.AsSpan(_filled * _columns.Count));
        if (++_filled == _rowsPerShard)
        {
            FlushShard();
        }
    }

    /// <summary>Writes the last shard and the manifest and moves the set into place.</summary>
    public SampleShardSet Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (_filled > 0)
        {
            FlushShard();
        }
        while (_writing.Count > 0)
        {
            _shards.Add(_writing.Dequeue().GetAwaiter().GetResult());
        }
        var manifest = new SampleShardManifest(SampleShardManifest.CurrentFormat, _columns, _rows, _shards, _genotypes);
        byte[] manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, SampleShardManifest.Json);
        File.WriteAllBytes(Path.Join(_temporary, SampleShardSet.ManifestFile), manifestBytes);
        if (Directory.Exists(_target))
        {
            Directory.Delete(_target, recursive: true);
        }
        Directory.Move(_temporary, _target);
        _committed = true;
        Execution.ScratchTraffic.CountWritten(_shards.Sum(s => s.Bytes) + (_genotypes?.Bytes ?? 0) + manifestBytes.Length);
        return SampleShardSet.Open(_target);
    }

    public void Dispose()
    {
        // Shards still being written must finish before their directory goes; their errors no longer matter.
        try
        {
            Task.WaitAll([.. _writing]);
        }
        catch (AggregateException)
        {
        }
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

    /// <summary>
    /// Hands the filled shard to a background task that encodes and writes it, so writing overlaps the caller producing
    /// the next rows; at most <see cref="ShardsInFlight"/> shards are being written at once, which bounds memory.
    /// </summary>
    private void FlushShard()
    {
        var shard = new FilledShard(_shards.Count + _writing.Count, _rows, _ids[.._filled], _indices[.._filled], _values[..(_filled * _columns.Count)]);
        _rows += _filled;
        _filled = 0;
        if (_writing.Count == ShardsInFlight)
        {
            _shards.Add(_writing.Dequeue().GetAwaiter().GetResult());
        }
        _writing.Enqueue(Task.Run(() => WriteShard(shard)));
    }

    private async Task<SampleShardFile> WriteShard(FilledShard shard)
    {
        string file = string.Create(CultureInfo.InvariantCulture, $"shard-{shard.Index:D5}.parquet");
        int rows = shard.Ids.Length;
        int columns = _columns.Count;
        // Parquet.Net ties a field to one schema, so every file gets its own.
        var sampleId = new DataField<string>(SampleIdColumn, false);
        var sampleIndex = new DataField<int>(SampleIndexColumn);
        var features = Enumerable.Range(0, columns).Select(c => new DataField<double>(FeatureColumn(c))).ToArray();
        using var encoded = new MemoryStream();
        await using (ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema([sampleId, sampleIndex, .. features]), encoded, WriteOptions))
        {
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            await group.WriteAsync(sampleId, shard.Ids);
            await group.WriteAsync<int>(sampleIndex, shard.Indices);
            var column = new double[rows];
            for (int c = 0; c < columns; c++)
            {
                for (int r = 0; r < rows; r++)
                {
                    column[r] = shard.Values[r * columns + c];
                }
                await group.WriteAsync<double>(features[c], column);
            }
            group.CompleteValidate();
        }
        var bytes = new ReadOnlyMemory<byte>(encoded.GetBuffer(), 0, (int)encoded.Length);
        await using (var output = new FileStream(Path.Join(_temporary, file), FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await output.WriteAsync(bytes);
        }
        return new SampleShardFile(shard.Index, shard.FirstRow, rows, file, bytes.Length, Hex(XxHash3.HashToUInt64(bytes.Span)));
    }

    private const int ShardsInFlight = 2;

    private sealed record FilledShard(int Index, long FirstRow, string[] Ids, int[] Indices, double[] Values);
}
