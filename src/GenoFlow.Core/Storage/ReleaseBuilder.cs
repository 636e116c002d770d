using System.Globalization;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Writes the data files of an appended release into a staged generation directory and returns its manifest
/// (<see cref="ReleaseAppender"/> commits it). Samples keep their places; new samples follow in input order and fill the
/// last, partly filled sample block first. Variants keep their places; added variants follow as new regions. A tile is
/// written only when its content changes (a block that gains or replaces samples, or a new region); the manifest names
/// every other tile's file from the generation that wrote it, so appending 10% more samples writes about 10% of the bytes.
/// </summary>
internal sealed class ReleaseBuilder
{
    private readonly Dataset _current;
    private readonly Dataset _incoming;
    private readonly AppendOptions _options;
    private readonly int _generation;
    private readonly string _staged;
    private readonly SortedDictionary<string, DataFileInfo> _files = new(StringComparer.Ordinal);
    private readonly int _samplesPerTile;

    /// <summary>Per output sample: its index in the incoming data, or -1.</summary>
    private int[] _incomingIndex = [];

    /// <summary>Per output sample: whether it takes the incoming calls at the dataset's existing variants.</summary>
    private bool[] _takesNewCalls = [];

    /// <summary>Per output block: the positions in it of the samples that take the release's calls at existing variants.</summary>
    private int[][] _newCallSamples = [];

    private List<SampleInfo> _samples = [];
    private int _replaced;
    private long _writtenBytes;
    private int _writtenTiles;

    public ReleaseBuilder(Dataset current, Dataset incoming, AppendOptions options, int generation, string staged)
    {
        _current = current;
        _incoming = incoming;
        _options = options;
        _generation = generation;
        _staged = staged;
        _samplesPerTile = current.Manifest.SamplesPerTile;
    }

    public DatasetManifest Build(IProgress<double>? progress, CancellationToken cancellationToken)
    {
        DatasetManifest old = _current.Manifest;
        MatchSamples();
        List<VariantInfo> incomingVariants = _incoming.ReadVariants().ToList();
        VariantMatch match = VariantMatch.Build(_current.ReadVariants(), _current.VariantCount, incomingVariants, _options.AddVariants);
        int addedSamples = _samples.Count - _current.SampleCount;
        if (addedSamples == 0 && match.Added.Count == 0 && _replaced == 0)
        {
            throw new DatasetException(_current.Path, $"release '{_options.Release}' adds no samples and no variants to {_current.Path} "
                + $"({_incoming.SampleCount:N0} samples already in it, {match.Ignored:N0} variants it lacks{(_options.AddVariants ? "" : "; --add-variants adds them")})");
        }

        List<RegionInfo> regions = [.. old.Regions];
        List<List<VariantInfo>> addedRegions = CutRegions(match.Added.Select(i => incomingVariants[(int)i]).ToList(), regions, old.VariantCount);
        int blockCount = (_samples.Count + _samplesPerTile - 1) / _samplesPerTile;
        var output = old with { SampleCount = _samples.Count, SampleBlockCount = blockCount };

        WriteSampleTable(addedSamples > 0);
        WriteVariantTable(addedRegions, regions);
        var incomingRows = new IncomingRows(_incoming);
        bool[] blockChanges = ChangedBlocks(old, blockCount);
        long addedSoFar = 0;
        for (int r = 0; r < regions.Count; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RegionInfo region = regions[r];
            bool isNew = r >= old.Regions.Count;
            long[] sources = new long[region.VariantCount];
            bool[] flips = new bool[region.VariantCount];
            for (int i = 0; i < sources.Length; i++)
            {
                sources[i] = isNew ? match.Added[(int)(addedSoFar + i)] : match.IncomingOf(region.FirstVariant + i, out flips[i]);
            }
            addedSoFar += isNew ? region.VariantCount : 0;
            incomingRows.Prepare(sources);
            var written = new DataFileInfo?[blockCount];
            ParallelBlocks.For(blockCount, block =>
            {
                if (isNew || blockChanges[block])
                {
                    written[block] = WriteTile(output, region, block, isNew, sources, flips, incomingRows);
                }
            });
            for (int block = 0; block < blockCount; block++)
            {
                if (written[block] is { } file)
                {
                    _files.Add(DatasetLayout.TilePath(_generation, r, block), file);
                    _writtenTiles++;
                    _writtenBytes += file.Bytes;
                }
                else
                {
                    string shared = _current.TileFile(r, block);
                    _files.Add(shared, old.Files[shared]);
                }
            }
            progress?.Report((r + 1.0) / regions.Count);
        }

        long variantCount = regions.Sum(x => (long)x.VariantCount);
        var release = new ReleaseInfo(_options.Release, _generation, _samples.Count, variantCount, addedSamples, match.Added.Count,
            addedSamples > 0 ? _current.SampleCount / _samplesPerTile : blockCount, old.Regions.Count, _writtenTiles, _writtenBytes,
            DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), _replaced,
            addedSamples + _replaced > 0 ? match.Missing : 0, match.Ignored, match.Flipped);
        return output with
        {
            FormatVersion = DatasetLayout.FormatVersion,
            Release = _options.Release,
            VariantCount = variantCount,
            Generation = _generation,
            Regions = regions,
            Files = _files,
            Releases = [.. old.History, release],
            ManifestXxh3 = null,
        };
    }

    /// <summary>Output samples: the dataset's, then the incoming ones it lacks; refuses samples it has unless allowed.</summary>
    private void MatchSamples()
    {
        IReadOnlyList<SampleInfo> existing = _current.ReadSamples();
        IReadOnlyList<SampleInfo> incoming = _incoming.ReadSamples();
        var position = new Dictionary<string, int>(existing.Count, StringComparer.Ordinal);
        for (int i = 0; i < existing.Count; i++)
        {
            position[existing[i].SampleId] = i;
        }
        List<string> already = incoming.Where(s => position.ContainsKey(s.SampleId)).Select(s => s.SampleId).ToList();
        if (already.Count > 0 && !_options.ReplaceSamples && !_options.AddVariants)
        {
            throw new DatasetException(_current.Path, $"{already.Count:N0} of the release's samples are already in {_current.Path} "
                + $"({string.Join(", ", already.Take(5))}{(already.Count > 5 ? ", ..." : "")}); give --replace-samples to replace their calls, or leave them out of the release");
        }
        _samples = [.. existing];
        var indexList = Enumerable.Repeat(-1, existing.Count).ToList();
        var takes = Enumerable.Repeat(false, existing.Count).ToList();
        for (int k = 0; k < incoming.Count; k++)
        {
            if (position.TryGetValue(incoming[k].SampleId, out int at))
            {
                indexList[at] = k;
                takes[at] = _options.ReplaceSamples;
                _replaced += _options.ReplaceSamples ? 1 : 0;
            }
            else
            {
                _samples.Add(incoming[k]);
                indexList.Add(k);
                takes.Add(true);
            }
        }
        _incomingIndex = [.. indexList];
        _takesNewCalls = [.. takes];
    }

    /// <summary>Per output block: whether its tiles at the dataset's regions change (new or replaced samples in it).</summary>
    private bool[] ChangedBlocks(DatasetManifest old, int blockCount)
    {
        var changed = new bool[blockCount];
        _newCallSamples = Enumerable.Range(0, blockCount)
            .Select(b => Enumerable.Range(0, Math.Min(_samplesPerTile, _samples.Count - b * _samplesPerTile))
                .Where(s => _takesNewCalls[b * _samplesPerTile + s]).ToArray())
            .ToArray();
        for (int b = 0; b < blockCount; b++)
        {
            changed[b] = _newCallSamples[b].Length > 0;
        }
        for (int block = old.SampleBlockCount; block < blockCount; block++)
        {
            changed[block] = true;
        }
        return changed;
    }

    private DataFileInfo WriteTile(DatasetManifest output, RegionInfo region, int block, bool isNew, long[] sources, bool[] flips, IncomingRows incomingRows)
    {
        int blockSamples = output.BlockSampleCount(block);
        int blockBytes = PackedGenotypes.RowBytes(blockSamples);
        int first = block * _samplesPerTile;
        var rows = new byte[sources.Length * blockBytes];
        TileData? old = !isNew && block < _current.SampleBlockCount ? _current.ReadTileData(region.Index, block) : null;
        // The block's samples whose calls come from the release: all of them in a new region, else the new and replaced ones.
        int[] targets = isNew ? [.. Enumerable.Range(0, blockSamples)] : _newCallSamples[block];
        for (int i = 0; i < sources.Length; i++)
        {
            Span<byte> row = rows.AsSpan(i * blockBytes, blockBytes);
            old?.Genotypes.AsSpan(i * old.BlockBytes, old.BlockBytes).CopyTo(row);
            ReadOnlySpan<byte> incomingRow = sources[i] >= 0 ? incomingRows.Row(sources[i]) : default;
            for (int t = 0; t < targets.Length; t++)
            {
                int k = _incomingIndex[first + targets[t]];
                byte code = k < 0 || sources[i] < 0 ? PackedGenotypes.Missing : PackedGenotypes.GetCode(incomingRow, k);
                PackedGenotypes.SetCode(row, targets[t], flips[i] ? Flip(code) : code);
            }
        }
        string relative = DatasetLayout.TilePath(_generation, region.Index, block);
        return TileCodec.Write(StagedPath(relative), region.FirstVariant, sources.Length, rows, blockBytes, 0, blockBytes);
    }

    /// <summary>REF and ALT swapped: 2 − g, so the two homozygous codes trade places.</summary>
    private static byte Flip(byte code) => code switch
    {
        PackedGenotypes.HomAlt => PackedGenotypes.HomRef,
        PackedGenotypes.HomRef => PackedGenotypes.HomAlt,
        _ => code,
    };

    /// <summary>Cuts added variants into regions after the dataset's (a new region at every contig change or full region).</summary>
    private List<List<VariantInfo>> CutRegions(List<VariantInfo> added, List<RegionInfo> regions, long firstVariant)
    {
        var cut = new List<List<VariantInfo>>();
        foreach (VariantInfo v in added)
        {
            if (cut.Count == 0 || cut[^1].Count == _current.Manifest.VariantsPerTile || cut[^1][0].Chrom != v.Chrom)
            {
                cut.Add([]);
            }
            cut[^1].Add(v);
        }
        foreach (List<VariantInfo> variants in cut)
        {
            regions.Add(new RegionInfo(regions.Count, variants[0].Chrom, firstVariant, variants.Count, variants[0].Position, variants[^1].Position));
            firstVariant += variants.Count;
        }
        return cut;
    }

    private void WriteSampleTable(bool changed)
    {
        if (!changed)
        {
            _files.Add(_current.SamplesFile, _current.Manifest.Files[_current.SamplesFile]);
            return;
        }
        string relative = DatasetLayout.SamplesPath(_generation);
        SampleTable.Write(StagedPath(relative), _samples);
        RecordWritten(relative);
    }

    /// <summary>The dataset's variants then the added ones; the dataset's own file is shared when none was added.</summary>
    private void WriteVariantTable(List<List<VariantInfo>> addedRegions, List<RegionInfo> regions)
    {
        if (addedRegions.Count == 0)
        {
            _files.Add(_current.VariantsFile, _current.Manifest.Files[_current.VariantsFile]);
            return;
        }
        string relative = DatasetLayout.VariantsPath(_generation);
        using (var writer = new VariantTableWriter(StagedPath(relative)))
        {
            int oldRegions = _current.RegionCount;
            using IEnumerator<VariantInfo> existing = _current.ReadVariants().GetEnumerator();
            for (int r = 0; r < regions.Count; r++)
            {
                List<VariantInfo> variants = r < oldRegions ? Take(existing, regions[r].VariantCount) : addedRegions[r - oldRegions];
                writer.Append(r, regions[r].FirstVariant, variants);
            }
            writer.Complete();
        }
        RecordWritten(relative);
    }

    private static List<VariantInfo> Take(IEnumerator<VariantInfo> variants, int count)
    {
        var taken = new List<VariantInfo>(count);
        while (taken.Count < count && variants.MoveNext())
        {
            taken.Add(variants.Current);
        }
        return taken;
    }

    private void RecordWritten(string relative)
    {
        ulong hash = DatasetLayout.HashFile(StagedPath(relative), out long length);
        _files.Add(relative, new DataFileInfo(length, DatasetLayout.FormatXxh3(hash)));
        _writtenBytes += length;
    }

    private string StagedPath(string relative) => Path.Join(_staged, relative[(relative.IndexOf('/', StringComparison.Ordinal) + 1)..]);
}
