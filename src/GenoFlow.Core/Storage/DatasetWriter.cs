using System.Security.Cryptography;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Writes a dataset (layout and atomicity in <see cref="DatasetLayout"/>). Variants arrive in order; the writer buffers
/// one tile row (one region's variants x all samples) while the previous one is written, its tiles in parallel across
/// sample blocks, so memory is two tile rows whatever the dataset size. samples.parquet is written in the background
/// beside the first tile rows: through Parquet.Net, whose generic writer the JIT compiles in every process, it took
/// ~40 ms of a .bed import's critical path (20,000 samples; profiled under load). Nothing is visible at the target until
/// <see cref="Complete"/> returns; <see cref="Dispose"/> without it deletes everything written.
/// </summary>
public sealed class DatasetWriter : IGenotypeWriter
{
    private readonly string _target;
    private readonly bool _replacing;
    private readonly int _generation;
    private readonly DatasetWriteOptions _options;
    private readonly int _sampleCount;
    private readonly int _rowBytes;
    private readonly int _blockCount;
    private readonly VariantTableWriter _variants;
    private readonly List<RegionInfo> _regions = [];
    private readonly SortedDictionary<string, DataFileInfo> _files = new(StringComparer.Ordinal);
    private readonly DatasetLock _lock;
    private readonly Task _sampleTable;

    /// <summary>Where the unpublished output lives now; null once published or deleted.</summary>
    private string? _staged;
    private byte[] _fill;
    private byte[] _spare;
    private List<VariantInfo> _fillVariants = [];
    private long _variantCount;
    private Task? _flush;
    private bool _completed;
    private bool _disposed;

    private DatasetWriter(DatasetLock writeLock, string target, bool replacing, int generation, string staged, IReadOnlyList<SampleInfo> samples, DatasetWriteOptions options)
    {
        _lock = writeLock;
        _target = target;
        _replacing = replacing;
        _generation = generation;
        _staged = staged;
        _options = options;
        _sampleCount = samples.Count;
        _rowBytes = PackedGenotypes.RowBytes(samples.Count);
        _blockCount = (samples.Count + options.SamplesPerTile - 1) / options.SamplesPerTile;
        long tileRowBytes = (long)_rowBytes * options.VariantsPerTile;
        if (tileRowBytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"a tile row of {options.VariantsPerTile} variants x {samples.Count} samples exceeds the largest buffer; lower VariantsPerTile");
        }
        _fill = GC.AllocateUninitializedArray<byte>((int)tileRowBytes);
        _spare = GC.AllocateUninitializedArray<byte>((int)tileRowBytes);

        string dataDir = DataDirectory();
        Directory.CreateDirectory(Path.Join(dataDir, DatasetLayout.TilesDirectoryName));
        _variants = new VariantTableWriter(StagedPath(DatasetLayout.VariantsPath(generation)));
        // Last: nothing after it may throw, or the staged directory would be deleted under the running write.
        SampleInfo[] sampleRows = [.. samples];
        string samplesPath = StagedPath(DatasetLayout.SamplesPath(generation));
        _sampleTable = Task.Run(() => SampleTable.Write(samplesPath, sampleRows));
    }

    /// <summary>
    /// Starts writing a dataset at <paramref name="path"/>: a new one, or a replacement when <paramref name="path"/> is
    /// already a dataset. Refuses a path that exists and is not a dataset, and duplicate sample IDs.
    /// </summary>
    public static DatasetWriter Create(string path, IReadOnlyList<SampleInfo> samples, DatasetWriteOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckSamples(path, samples);

        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string parent = Path.GetDirectoryName(target) ?? throw new DatasetException(path, $"{path} cannot be a dataset (it is a filesystem root)");
        if (File.Exists(target))
        {
            throw new DatasetException(path, $"{path} exists and is a file, not a GenoFlow dataset; refusing to overwrite it");
        }
        Directory.CreateDirectory(parent);
        DatasetLock writeLock = DatasetLock.Acquire(target, path);
        try
        {
            return Start(writeLock, path, target, samples, options);
        }
        catch
        {
            writeLock.Dispose();
            throw;
        }
    }

    /// <summary>With the target's lock held: removes dead writers' leftovers and stages the new output.</summary>
    private static DatasetWriter Start(DatasetLock writeLock, string path, string target, IReadOnlyList<SampleInfo> samples, DatasetWriteOptions options)
    {
        DatasetCleanup.RemoveStaleSiblings(target);

        bool replacing = File.Exists(Path.Join(target, DatasetLayout.ManifestFileName));
        if (!replacing && Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new DatasetException(path, $"{path} exists and is not a GenoFlow dataset (no {DatasetLayout.ManifestFileName}); refusing to overwrite it");
        }

        int generation;
        string staged;
        if (replacing)
        {
            generation = DatasetCleanup.RemoveStaleGenerations(target) + 1;
            staged = Path.Join(target, DatasetLayout.GenerationDirectory(generation) + DatasetLayout.PartialSuffix);
        }
        else
        {
            generation = 1;
            staged = target + DatasetLayout.PartialSuffix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        }
        Directory.CreateDirectory(staged);
        try
        {
            return new DatasetWriter(writeLock, target, replacing, generation, staged, samples, options);
        }
        catch
        {
            DatasetCleanup.TryDeleteDirectory(staged);
            throw;
        }
    }

    public void Write(VariantInfo variant, ReadOnlySpan<byte> packedRow)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("the dataset was already completed");
        }
        if (packedRow.Length != _rowBytes)
        {
            throw new ArgumentException($"packed row holds {packedRow.Length} bytes; {_sampleCount} samples need {_rowBytes}", nameof(packedRow));
        }
        int inRegion = _fillVariants.Count;
        if (inRegion > 0 && (inRegion == _options.VariantsPerTile || !string.Equals(_fillVariants[0].Chrom, variant.Chrom, StringComparison.Ordinal)))
        {
            StartFlush();
            inRegion = 0;
        }
        Span<byte> row = _fill.AsSpan(inRegion * _rowBytes, _rowBytes);
        packedRow.CopyTo(row);
        PackedGenotypes.ClearTrailingBits(row, _sampleCount);
        _fillVariants.Add(variant);
        _variantCount++;
    }

    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return;
        }
        if (_variantCount == 0)
        {
            throw new DatasetException(_target, $"{_target}: the input holds no variants; a dataset needs at least one");
        }
        if (_fillVariants.Count > 0)
        {
            StartFlush();
        }
        WaitForFlush();
        _variants.Complete();
        RecordFile(DatasetLayout.VariantsPath(_generation));
        _sampleTable.GetAwaiter().GetResult();
        RecordFile(DatasetLayout.SamplesPath(_generation));

        var release = new ReleaseInfo(_options.Release, _generation, _sampleCount, _variantCount, _sampleCount, _variantCount, 0, 0,
            _regions.Count * _blockCount, _files.Values.Sum(f => f.Bytes));
        var manifest = new DatasetManifest(
            DatasetLayout.FormatVersion, _options.Release, _sampleCount, _variantCount, _options.VariantsPerTile, _options.SamplesPerTile,
            _generation, _regions.ToArray(), _blockCount, _files, [release]);
        byte[] json = manifest.ToSealedJson();
        if (_replacing)
        {
            string generationDir = Path.Join(_target, DatasetLayout.GenerationDirectory(_generation));
            Directory.Move(_staged!, generationDir);
            _staged = generationDir;
            DatasetCleanup.CommitManifest(_target, json);
            _staged = null;
            DatasetCleanup.RemoveStaleGenerations(_target);
        }
        else
        {
            DatasetCleanup.WriteDurably(Path.Join(_staged!, DatasetLayout.ManifestFileName), json);
            if (Directory.Exists(_target))
            {
                // Create accepted it empty; a non-empty one appeared since and is not ours to replace.
                if (Directory.EnumerateFileSystemEntries(_target).Any())
                {
                    throw new DatasetException(_target, $"{_target} was created by someone else while this dataset was written; refusing to overwrite it");
                }
                Directory.Delete(_target);
            }
            Directory.Move(_staged!, _target);
            _staged = null;
        }
        _completed = true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            Task.WaitAll([_flush ?? Task.CompletedTask, _sampleTable]);
        }
        catch (AggregateException)
        {
            // The failure was (or would have been) reported by Write or Complete; the output is discarded below.
        }
        try
        {
            _variants.Dispose();
        }
        finally
        {
            if (_staged is not null)
            {
                DatasetCleanup.TryDeleteDirectory(_staged);
                _staged = null;
                if (_replacing)
                {
                    DatasetCleanup.TryDeleteFile(Path.Join(_target, DatasetLayout.ManifestTempFileName));
                }
            }
            _lock.Dispose();
        }
    }

    /// <summary>
    /// What kill -9 leaves, for tests in one process: the staged output stays and the lock is released (the OS releases
    /// a dead process's locks; an abandoned writer in a live process would keep holding it).
    /// </summary>
    internal void AbandonAsIfKilled()
    {
        _disposed = true;
        // A killed process writes nothing more: the next writer must not meet this one's sample table half-written.
        Task.WaitAny(_sampleTable); // waits, and leaves a failure unthrown
        _lock.AbandonAsIfKilled();
    }

    /// <summary>The staged generation directory: <c>g{n}.partial</c> inside the target, or <c>g1</c> inside the sibling.</summary>
    private string DataDirectory() => _replacing ? _staged! : Path.Join(_staged!, DatasetLayout.GenerationDirectory(_generation));

    /// <summary>Where a file the manifest will list as <paramref name="relativePath"/> ("g{n}/...") is staged.</summary>
    private string StagedPath(string relativePath)
    {
        string generationPrefix = DatasetLayout.GenerationDirectory(_generation) + "/";
        Debug.Assert(relativePath.StartsWith(generationPrefix, StringComparison.Ordinal));
        return Path.Join(DataDirectory(), relativePath[generationPrefix.Length..]);
    }

    /// <summary>Hands the filled tile row to a background flush and starts filling the spare buffer.</summary>
    private void StartFlush()
    {
        WaitForFlush();
        if (_sampleTable.IsFaulted)
        {
            _sampleTable.GetAwaiter().GetResult();
        }
        var region = new RegionInfo(_regions.Count, _fillVariants[0].Chrom, _variantCount - _fillVariants.Count, _fillVariants.Count,
            _fillVariants[0].Position, _fillVariants[^1].Position);
        _regions.Add(region);
        byte[] rows = _fill;
        List<VariantInfo> variants = _fillVariants;
        (_fill, _spare) = (_spare, _fill);
        _fillVariants = [];
        _flush = Task.Run(() => FlushRegion(region, rows, variants));
    }

    private void WaitForFlush()
    {
        if (_flush is null)
        {
            return;
        }
        Task flush = _flush;
        _flush = null;
        flush.GetAwaiter().GetResult();
    }

    private void FlushRegion(RegionInfo region, byte[] rows, List<VariantInfo> variants)
    {
        var written = new DataFileInfo[_blockCount];
        ParallelBlocks.For(_blockCount, block =>
        {
            int blockBytes = PackedGenotypes.RowBytes(Math.Min(_options.SamplesPerTile, _sampleCount - block * _options.SamplesPerTile));
            string path = StagedPath(DatasetLayout.TilePath(_generation, region.Index, block));
            written[block] = TileCodec.Write(path, region.FirstVariant, region.VariantCount, rows, _rowBytes, block * (_options.SamplesPerTile / 4), blockBytes);
        });
        for (int block = 0; block < _blockCount; block++)
        {
            lock (_files)
            {
                _files.Add(DatasetLayout.TilePath(_generation, region.Index, block), written[block]);
            }
        }
        _variants.Append(region.Index, region.FirstVariant, variants);
    }

    private void RecordFile(string relativePath)
    {
        ulong hash = DatasetLayout.HashFile(StagedPath(relativePath), out long length);
        lock (_files)
        {
            _files.Add(relativePath, new DataFileInfo(length, DatasetLayout.FormatXxh3(hash)));
        }
    }

    private static void CheckSamples(string path, IReadOnlyList<SampleInfo> samples)
    {
        if (samples.Count == 0)
        {
            throw new DatasetException(path, $"{path}: the input holds no samples; a dataset needs at least one");
        }
        var seen = new Dictionary<string, int>(samples.Count, StringComparer.Ordinal);
        for (int i = 0; i < samples.Count; i++)
        {
            SampleInfo sample = samples[i] ?? throw new ArgumentException($"sample {i} is null", nameof(samples));
            if (!seen.TryAdd(sample.SampleId, i))
            {
                throw new DatasetException(path, $"{path}: duplicate sample ID '{sample.SampleId}' (samples {seen[sample.SampleId] + 1} and {i + 1}); sample IDs must be unique within a dataset");
            }
        }
    }
}
