using System.IO.Hashing;
using Apache.Arrow;
using Apache.Arrow.Types;
using GenoFlow.Core.Genotypes;
using Parquet;
using VariantCols = GenoFlow.Core.Storage.DatasetLayout.VariantColumns;

namespace GenoFlow.Core.Storage;

/// <summary>
/// An open dataset (layout in <see cref="DatasetLayout"/>): the verified manifest and checked reads of its files.
/// Every data file read is checked against the manifest's size and xxh3 first; damage raises
/// <see cref="GenoFlowFormatException"/> naming the file. Reads are independent and may run concurrently.
/// </summary>
public sealed class Dataset : IDisposable
{
    private readonly DataFileMap _files;

    private Dataset(string path, DatasetManifest manifest, bool isLatest)
    {
        Path = path;
        Manifest = manifest;
        IsLatest = isLatest;
        _files = DataFileMap.Build(manifest, out string? problem) ?? throw new InvalidOperationException(problem);
    }

    /// <summary>The dataset directory (full path).</summary>
    public string Path { get; }

    public DatasetManifest Manifest { get; }

    public int SampleCount => Manifest.SampleCount;

    public long VariantCount => Manifest.VariantCount;

    public int RegionCount => Manifest.Regions.Count;

    public int SampleBlockCount => Manifest.SampleBlockCount;

    public string Release => Manifest.Release;

    /// <summary>False when an earlier release was opened (<c>DATASET@LABEL</c>) rather than the dataset's current one.</summary>
    public bool IsLatest { get; }

    /// <summary>How to name this exact release on a command line: the path, with <c>@LABEL</c> for an earlier release.</summary>
    public string Spec => IsLatest ? Path : Path + ReleaseLabel.Separator + Release;

    /// <summary>Whether <paramref name="release"/> of this dataset's history can still be opened (it was not pruned).</summary>
    public bool IsKept(ReleaseInfo release) =>
        release.Generation == Manifest.Generation || File.Exists(ReleaseManifest.PathOf(Path, release.Generation));

    /// <summary>The xxh3 the manifest records for tile (<paramref name="region"/>, <paramref name="block"/>)'s file: equal
    /// checksums mean equal genotypes, whichever release or dataset the tile belongs to.</summary>
    public string TileXxh3(int region, int block) => Manifest.Files[_files.Tile(region, block)].Xxh3;

    /// <summary>
    /// Opens the dataset at <paramref name="path"/>, verifying manifest.json (self-checksum and consistency); with
    /// <c>PATH@LABEL</c> (when PATH@LABEL is not itself a dataset directory), opens the earlier release LABEL, which stays
    /// readable until it is pruned. Data files are verified when read, or all at once by <see cref="Verify"/>.
    /// </summary>
    public static Dataset Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string root = FullRoot(path);
        int at = path.LastIndexOf(ReleaseLabel.Separator);
        if (at > 0 && !Directory.Exists(root) && path.IndexOfAny(['/', '\\'], at) < 0)
        {
            return OpenRelease(path[..at], path[(at + 1)..]);
        }
        if (File.Exists(root))
        {
            throw new DatasetException(path, $"{path} is a file, not a GenoFlow dataset (a dataset is a directory with a {DatasetLayout.ManifestFileName})");
        }
        string manifestPath = System.IO.Path.Join(root, DatasetLayout.ManifestFileName);
        byte[] json;
        try
        {
            json = BoundedFile.ReadAll(root, manifestPath, BoundedFile.MaxManifestBytes, "manifest");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DatasetException(path, $"{path} is not a GenoFlow dataset (no {DatasetLayout.ManifestFileName})", e);
        }
        return new Dataset(root, DatasetManifest.Parse(json, manifestPath), isLatest: true);
    }

    /// <summary>
    /// Opens the exact version of the dataset at <paramref name="path"/> whose manifest checksum is
    /// <paramref name="manifestChecksum"/>: the current release, or an earlier one still kept. A job names its dataset
    /// this way, so a worker computes on the release the job started on even after a new one is appended.
    /// </summary>
    public static Dataset OpenVersion(string path, string manifestChecksum)
    {
        Dataset latest = Open(path);
        if (latest.Manifest.ManifestXxh3 == manifestChecksum)
        {
            return latest;
        }
        foreach (ReleaseInfo release in latest.Manifest.History.Reverse())
        {
            if (ReleaseManifest.TryRead(latest.Path, release.Generation) is { } manifest && manifest.ManifestXxh3 == manifestChecksum)
            {
                return new Dataset(latest.Path, manifest, isLatest: false);
            }
        }
        throw new DatasetException(path, $"{path} was replaced while the job ran (manifest {latest.Manifest.ManifestXxh3}, job started on {manifestChecksum}, which is no longer kept); run the job again");
    }

    private static Dataset OpenRelease(string path, string label)
    {
        Dataset latest = Open(path);
        if (latest.Release == label)
        {
            return latest;
        }
        ReleaseInfo release = latest.Manifest.History.FirstOrDefault(r => r.Label == label)
            ?? throw new DatasetException(path, $"{path} has no release '{label}' (releases: {string.Join(", ", latest.Manifest.History.Select(r => r.Label))})");
        DatasetManifest manifest = ReleaseManifest.TryRead(latest.Path, release.Generation)
            ?? throw new DatasetException(path, $"{path}: release '{label}' was pruned; only the releases `genoflow info` lists as kept can be opened");
        return new Dataset(latest.Path, manifest, isLatest: false);
    }

    private static string FullRoot(string path) => System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));

    public IReadOnlyList<SampleInfo> ReadSamples()
    {
        string relative = _files.Samples;
        return ReadVerified(relative, contents => SampleTable.Read(contents, FullPath(relative), SampleCount));
    }

    /// <summary>All variants in dataset order, streamed one row group at a time after the file's checksum is verified.</summary>
    public IEnumerable<VariantInfo> ReadVariants()
    {
        string relative = _files.Variants;
        string file = FullPath(relative);
        CheckStreamed(relative);
        return ReadVariantRows(file);
    }

    /// <summary>
    /// Tile (<paramref name="region"/>, <paramref name="block"/>) as an Arrow batch: variant_index int64 and genotypes
    /// binary (the block's packed bytes per variant; <see cref="PackedGenotypes"/>). The caller disposes it.
    /// </summary>
    public RecordBatch ReadTile(int region, int block)
    {
        TileData tile = ReadTileData(region, block);
        int rows = tile.RowCount;
        var offsets = new int[rows + 1];
        for (int i = 0; i <= rows; i++)
        {
            offsets[i] = i * tile.BlockBytes;
        }
        var ids = new Int64Array(new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tile.VariantIndex.AsSpan()).ToArray()), ArrowBuffer.Empty, rows, 0, 0);
        var genotypes = new BinaryArray(BinaryType.Default, rows,
            new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(tile.Genotypes), ArrowBuffer.Empty, 0, 0);
        return new RecordBatch(DatasetLayout.TileColumns.ArrowSchema, [ids, genotypes], rows);
    }

    /// <summary>
    /// Tile (<paramref name="region"/>, <paramref name="block"/>)'s packed rows, checked as <see cref="ReadTile"/> checks
    /// them, in an array rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/> (the first
    /// <paramref name="length"/> bytes, rows back to back): the caller returns it. For jobs that read each tile once, so
    /// that a pass over a dataset allocates nothing per tile.
    /// </summary>
    public byte[] ReadTileRented(int region, int block, out int length)
    {
        TileData tile = ReadTileData(region, block, System.Buffers.ArrayPool<byte>.Shared.Rent);
        length = tile.RowCount * tile.BlockBytes;
        return tile.Genotypes;
    }

    /// <summary>The size of tile (<paramref name="region"/>, <paramref name="block"/>)'s file, as the manifest records it.</summary>
    public long TileBytes(int region, int block) =>
        Manifest.Files[_files.Tile(region, block)].Bytes;

    public IGenotypeReader OpenRowReader() => new DatasetRowReader(this);

    /// <summary>Checks every data file the manifest lists: present, size, xxh3.</summary>
    public IReadOnlyList<FileCheck> Verify()
    {
        var checks = new List<FileCheck>(Manifest.Files.Count);
        foreach ((string relative, DataFileInfo expected) in Manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            checks.Add(Check(relative, expected));
        }
        return checks;
    }

    public void Dispose()
    {
        // Files are opened per read; nothing is held between reads.
    }

    /// <param name="allocate">Where the packed rows go (default: a new array of their exact length).</param>
    internal TileData ReadTileData(int region, int block, Func<int, byte[]>? allocate = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(region);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(region, RegionCount);
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(block, SampleBlockCount);
        string relative = _files.Tile(region, block);
        RegionInfo info = Manifest.Regions[region];
        int blockBytes = PackedGenotypes.RowBytes(Manifest.BlockSampleCount(block));
        return ReadVerified(relative, contents => TileCodec.Decode(contents, FullPath(relative), info.FirstVariant, info.VariantCount, blockBytes, allocate));
    }

    /// <summary>The manifest path of the sample table (it may live in an earlier generation).</summary>
    internal string SamplesFile => _files.Samples;

    /// <summary>The manifest path of the variant table (it may live in an earlier generation).</summary>
    internal string VariantsFile => _files.Variants;

    /// <summary>The manifest path of tile (<paramref name="region"/>, <paramref name="block"/>)'s file.</summary>
    internal string TileFile(int region, int block) => _files.Tile(region, block);

    private string FullPath(string relative) => System.IO.Path.Join(Path, relative);

    /// <summary>
    /// Reads a whole data file into a pooled buffer, checks it against the manifest and hands it to
    /// <paramref name="parse"/>. Pooling matters: tiles are read over and over and each is megabytes, which would
    /// otherwise pile up on the large-object heap.
    /// </summary>
    private T ReadVerified<T>(string relative, Func<ArraySegment<byte>, T> parse)
    {
        DataFileInfo expected = Manifest.Files[relative];
        string file = FullPath(relative);
        byte[]? buffer = null;
        try
        {
            using Microsoft.Win32.SafeHandles.SafeFileHandle handle = DataFile.Open(Path, file, out long length);
            if (length != expected.Bytes)
            {
                throw new GenoFlowFormatException(file, Mismatch(expected, length, () => 0)!);
            }
            buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)length);
            int read = 0;
            while (read < length)
            {
                int n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)length - read), read);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            var contents = new ArraySegment<byte>(buffer, 0, read);
            string? problem = Mismatch(expected, read, () => XxHash3.HashToUInt64(contents));
            if (problem is not null)
            {
                throw new GenoFlowFormatException(file, problem);
            }
            return parse(contents);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new GenoFlowFormatException(file, Replaced() ?? MissingProblem, inner: e);
        }
        finally
        {
            if (buffer is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private void CheckStreamed(string relative)
    {
        FileCheck check = Check(relative, Manifest.Files[relative]);
        if (!check.IsOk)
        {
            throw new GenoFlowFormatException(FullPath(relative), check.Problem!);
        }
    }

    private FileCheck Check(string relative, DataFileInfo expected)
    {
        string file = FullPath(relative);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        long length;
        try
        {
            handle = DataFile.Open(Path, file, out length);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new FileCheck(relative, expected.Bytes, expected.Xxh3, FileCheckStatus.Missing, Replaced() ?? MissingProblem);
        }
        catch (GenoFlowFormatException e)
        {
            return new FileCheck(relative, expected.Bytes, expected.Xxh3, FileCheckStatus.SizeMismatch, e.Problem);
        }
        using (handle)
        {
            string? problem = Mismatch(expected, length, () => DatasetLayout.HashFile(handle));
            FileCheckStatus status = problem is null ? FileCheckStatus.Ok
                : length != expected.Bytes ? FileCheckStatus.SizeMismatch : FileCheckStatus.ChecksumMismatch;
            return new FileCheck(relative, expected.Bytes, expected.Xxh3, status, problem);
        }
    }

    /// <summary>
    /// Why a file of the opened generation can be gone without damage: a writer replaced the dataset since it was opened
    /// (the old generation is deleted once the new manifest commits). Null when the manifest still names this generation.
    /// </summary>
    private string? Replaced()
    {
        string manifestPath = System.IO.Path.Join(Path, DatasetLayout.ManifestFileName);
        try
        {
            int now = DatasetManifest.ReadFile(Path, manifestPath).Generation;
            return now == Manifest.Generation || !IsLatest ? null
                : $"the dataset was replaced while it was being read (generation {Manifest.Generation} → {now}); run again to read the new one";
        }
        catch (Exception e) when (e is IOException or GenoFlowFormatException)
        {
            return null;
        }
    }

    private const string MissingProblem = "missing: the manifest lists it but the file does not exist; the dataset is damaged";

    private static string? Mismatch(DataFileInfo expected, long length, Func<ulong> hash)
    {
        if (length != expected.Bytes)
        {
            return $"size mismatch, the file is damaged (expected {expected.Bytes} bytes, found {length})";
        }
        string found = DatasetLayout.FormatXxh3(hash());
        return string.Equals(found, expected.Xxh3, StringComparison.Ordinal) ? null
            : $"checksum mismatch, the file is damaged (expected xxh3 {expected.Xxh3}, found {found})";
    }

    private IEnumerable<VariantInfo> ReadVariantRows(string file)
    {
        using var input = new FileStream(DataFile.Open(Path, file, out _), FileAccess.Read, 1 << 16);
        ParquetStructure.Check(input, file, VariantCount);
        ParquetReader reader = Wrap(file, () => Sync.Run(() => ParquetReader.CreateAsync(input, null, true, default)));
        try
        {
            long next = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                VariantInfo[] rows = Wrap(file, () => ReadVariantGroup(reader, g, next, file));
                next += rows.Length;
                foreach (VariantInfo variant in rows)
                {
                    yield return variant;
                }
            }
            if (next != VariantCount)
            {
                throw new GenoFlowFormatException(file, $"holds {next} variants, the manifest says {VariantCount}; the dataset is damaged");
            }
        }
        finally
        {
            Sync.Run(async () => await reader.DisposeAsync());
        }
    }

    private static VariantInfo[] ReadVariantGroup(ParquetReader reader, int index, long first, string file) => Sync.Run(async () =>
    {
        using ParquetRowGroupReader group = reader.OpenRowGroupReader(index);
        int n = checked((int)group.RowCount);
        var ids = new long[n];
        var chrom = new string?[n];
        var pos = new long[n];
        var id = new string?[n];
        var refAllele = new string?[n];
        var altAllele = new string?[n];
        var cm = new double[n];
        await group.ReadAsync<long>(VariantCols.VariantIndex, ids, null, default);
        await group.ReadAsync(VariantCols.Chrom, chrom, null, default);
        await group.ReadAsync<long>(VariantCols.Position, pos, null, default);
        await group.ReadAsync(VariantCols.Id, id, null, default);
        await group.ReadAsync(VariantCols.Ref, refAllele, null, default);
        await group.ReadAsync(VariantCols.Alt, altAllele, null, default);
        await group.ReadAsync<double>(VariantCols.CentiMorgans, cm, null, default);
        var rows = new VariantInfo[n];
        for (int i = 0; i < n; i++)
        {
            if (ids[i] != first + i)
            {
                throw new GenoFlowFormatException(file, $"row {first + i} has variant_index {ids[i]}; the dataset is damaged");
            }
            rows[i] = new VariantInfo(chrom[i] ?? "", pos[i], id[i] ?? "", refAllele[i] ?? "", altAllele[i] ?? "", cm[i]);
        }
        return rows;
    });

    private static T Wrap<T>(string file, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not GenoFlowFormatException)
        {
            throw new GenoFlowFormatException(file, $"not a readable variant table ({e.Message}); the dataset is damaged", inner: e);
        }
    }
}
