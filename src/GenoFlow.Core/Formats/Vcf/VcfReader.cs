using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Vcf;

/// <summary>
/// Reads one or more VCF 4.x files (plain, gzip or BGZF) of the same samples, one after another, as one stream of biallelic
/// variants. Record lines are parsed in parallel in batches of a few MB and handed out in input order; of several bad lines,
/// the earliest is reported. See <see cref="VcfRecordParser"/> for how calls and multi-allelic sites are read.
/// </summary>
/// <remarks>
/// Records must be grouped by contig (a contig may not reappear after another, also across files) and sorted by position
/// within a contig; equal positions are allowed.
/// </remarks>
public sealed class VcfReader : IGenotypeReader
{
    /// <summary>
    /// Longest line a VCF may have: generous for wide files (a million samples' GT fields take ~4 MB), and a bound on
    /// import memory whatever a compressed input inflates to.
    /// </summary>
    public const long DefaultMaxLineBytes = 1L << 30;

    private readonly IReadOnlyList<string> _paths;
    private readonly long _maxLineBytes;
    private readonly VcfHeader _header;
    private readonly int _rowBytes;
    private readonly long[] _fileSizes;
    private readonly long _totalSize;
    private readonly ContigOrder _contigs = new();
    private VcfInputFile? _file;
    private int _fileIndex;
    private ParsedRecord[] _records = [];
    private byte[] _rows = [];
    private int _recordCount;
    private int _recordIndex;
    private int _altIndex;
    private string? _contig;
    private long _lastPosition;

    private VcfReader(IReadOnlyList<string> paths, VcfInputFile first, long maxLineBytes)
    {
        _paths = paths;
        _maxLineBytes = maxLineBytes;
        _file = first;
        _header = first.Header;
        Samples = first.Header.ToSamples();
        _rowBytes = PackedGenotypes.RowBytes(Samples.Count);
        _fileSizes = paths.Select(p => new FileInfo(p).Length).ToArray();
        _totalSize = Math.Max(1, _fileSizes.Sum());
    }

    public IReadOnlyList<SampleInfo> Samples { get; }

    public double Progress
    {
        get
        {
            if (_file is null)
            {
                return _fileIndex >= _paths.Count ? 1 : 0;
            }
            double done = _fileSizes.Take(_fileIndex).Sum() + _file.Progress * _fileSizes[_fileIndex];
            return Math.Clamp(done / _totalSize, 0, 1);
        }
    }

    /// <summary>
    /// Opens the files and checks every header up front (so a sample mismatch in the last file fails before any work).
    /// </summary>
    public static VcfReader Open(IReadOnlyList<string> paths, long maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineBytes);
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("at least one VCF file is needed", nameof(paths));
        }
        VcfInputFile first = VcfInputFile.Open(paths[0], maxLineBytes);
        try
        {
            for (int i = 1; i < paths.Count; i++)
            {
                using VcfInputFile other = VcfInputFile.Open(paths[i], maxLineBytes);
                other.Header.RequireSameSamples(paths[i], first.Header, paths[0]);
            }
            return new VcfReader(paths.ToArray(), first, maxLineBytes);
        }
        catch
        {
            first.Dispose();
            throw;
        }
    }

    public bool ReadNext([NotNullWhen(true)] out VariantInfo? variant, Span<byte> packedRow)
    {
        if (packedRow.Length != _rowBytes)
        {
            throw new ArgumentException($"row holds {packedRow.Length} bytes; {Samples.Count} samples need {_rowBytes}", nameof(packedRow));
        }
        while (_recordIndex >= _recordCount)
        {
            if (!ReadBatch())
            {
                variant = null;
                return false;
            }
        }
        ref ParsedRecord record = ref _records[_recordIndex];
        variant = record.Variants![_altIndex];
        ReadOnlySpan<byte> row = _altIndex == 0
            ? _rows.AsSpan(_recordIndex * _rowBytes, _rowBytes)
            : record.ExtraRows.AsSpan((_altIndex - 1) * _rowBytes, _rowBytes);
        row.CopyTo(packedRow);
        if (++_altIndex == record.Variants.Length)
        {
            _altIndex = 0;
            record = default;
            _recordIndex++;
        }
        return true;
    }

    /// <summary>Parses the next batch of record lines, moving on to the next file as needed; false at the end of the last file.</summary>
    private bool ReadBatch()
    {
        _recordIndex = 0;
        _recordCount = 0;
        while (_file is not null)
        {
            ReadOnlyMemory<byte> text = _file.NextBatch(ref _records, out int count);
            if (count == 0)
            {
                NextFile();
                continue;
            }
            if (_rows.Length < count * _rowBytes)
            {
                _rows = new byte[Math.Max(count * _rowBytes, _rows.Length * 2)];
            }
            ParseInParallel(text, count);
            CheckInOrder(count);
            _recordCount = count;
            return true;
        }
        return false;
    }

    private void NextFile()
    {
        _file!.Dispose();
        _file = null;
        _fileIndex++;
        if (_fileIndex < _paths.Count)
        {
            _file = VcfInputFile.Open(_paths[_fileIndex], _maxLineBytes);
            _file.Header.RequireSameSamples(_paths[_fileIndex], _header, _paths[0]);
        }
    }

    private void ParseInParallel(ReadOnlyMemory<byte> text, int count)
    {
        int sampleCount = Samples.Count;
        int rowBytes = _rowBytes;
        ParsedRecord[] records = _records;
        byte[] rows = _rows;
        int rangeSize = Math.Max(1, count / (Environment.ProcessorCount * 8));
        Parallel.For(
            0,
            (count + rangeSize - 1) / rangeSize,
            () => new VcfRecordParser(sampleCount),
            (range, _, parser) =>
            {
                ReadOnlySpan<byte> span = text.Span;
                int end = Math.Min(count, (range + 1) * rangeSize);
                for (int i = range * rangeSize; i < end; i++)
                {
                    ref ParsedRecord record = ref records[i];
                    parser.Parse(span.Slice(record.Start, record.Length), rows.AsSpan(i * rowBytes, rowBytes), ref record);
                }
                return parser;
            },
            _ => { });
    }

    /// <summary>Reports the earliest bad line of the batch: a parse error, or a contig or position out of order.</summary>
    private void CheckInOrder(int count)
    {
        string path = _file!.Path;
        for (int i = 0; i < count; i++)
        {
            ref ParsedRecord record = ref _records[i];
            if (record.Error is not null)
            {
                throw new GenoFlowFormatException(path, record.Error, record.LineNumber, record.ErrorColumn);
            }
            VariantInfo first = record.Variants![0];
            if (_contigs.Next(first.Chrom, path, record.LineNumber))
            {
                _contig = first.Chrom;
                _lastPosition = first.Position;
            }
            else if (first.Position < _lastPosition)
            {
                throw new GenoFlowFormatException(path, $"POS {first.Position} is before the previous record's POS {_lastPosition} on contig '{_contig}'; records must be sorted by position", record.LineNumber, 2);
            }
            _lastPosition = first.Position;
        }
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
        _fileIndex = _paths.Count;
    }
}
