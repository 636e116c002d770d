using System.Buffers;
using System.Globalization;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Plink;

/// <summary>
/// Streams a PLINK .bim one line at a time: six whitespace-separated columns (chrom id cM pos A1 A2), A1 read as ALT and
/// A2 as REF as PLINK 2 does. Blank lines are skipped.
/// </summary>
internal sealed class BimReader : IDisposable
{
    public const int ColumnCount = 6;

    private static readonly SearchValues<byte> Separators = SearchValues.Create(" \t\r"u8);

    private readonly StreamReader _reader;
    private readonly string _path;
    private long _lineNumber;
    private string _lastChrom = "";
    private readonly ContigOrder _contigs = new();
    private readonly string?[] _alleleCache = new string?[128];

    public BimReader(string path)
    {
        _path = path;
        _reader = new StreamReader(PlinkFile.OpenRead(path), bufferSize: 1 << 16);
    }

    /// <summary>Counts the non-blank lines of a .bim without holding it: one pass over the bytes.</summary>
    public static long CountRecords(string path)
    {
        using FileStream stream = PlinkFile.OpenRead(path, bufferSize: 0);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long count = 0;
            bool lineHasContent = false;
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                ReadOnlySpan<byte> chunk = buffer.AsSpan(0, read);
                while (true)
                {
                    int nl = chunk.IndexOf((byte)'\n');
                    ReadOnlySpan<byte> segment = nl < 0 ? chunk : chunk[..nl];
                    lineHasContent |= segment.IndexOfAnyExcept(Separators) >= 0;
                    if (nl < 0)
                    {
                        break;
                    }
                    if (lineHasContent)
                    {
                        count++;
                    }
                    lineHasContent = false;
                    chunk = chunk[(nl + 1)..];
                }
            }
            return lineHasContent ? count + 1 : count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public string Path => _path;

    public long LineNumber => _lineNumber;

    public VariantInfo? ReadNext()
    {
        string? line;
        do
        {
            line = _reader.ReadLine();
            if (line is null)
            {
                return null;
            }
            _lineNumber++;
        }
        while (PlinkText.IsBlank(line));

        Span<Range> cols = stackalloc Range[ColumnCount];
        int found = PlinkText.Split(line, cols);
        if (found != ColumnCount)
        {
            throw new GenoFlowFormatException(_path, $"expected {ColumnCount} columns (chrom id cM pos A1 A2), found {found}", _lineNumber);
        }
        ReadOnlySpan<char> s = line;
        if (!double.TryParse(s[cols[2]], NumberStyles.Float, CultureInfo.InvariantCulture, out double cm))
        {
            throw new GenoFlowFormatException(_path, $"genetic position (cM) must be a number, found '{s[cols[2]]}'", _lineNumber, column: 3);
        }
        if (!long.TryParse(s[cols[3]], NumberStyles.Integer, CultureInfo.InvariantCulture, out long pos))
        {
            throw new GenoFlowFormatException(_path, $"base-pair position must be an integer, found '{s[cols[3]]}'", _lineNumber, column: 4);
        }
        string chrom = s[cols[0]].SequenceEqual(_lastChrom) ? _lastChrom : (_lastChrom = line[cols[0]]);
        _contigs.Next(chrom, _path, _lineNumber);
        return new VariantInfo(chrom, pos, line[cols[1]], Allele(s[cols[5]]), Allele(s[cols[4]]), cm);
    }

    /// <summary>Reuses the strings of single-character alleles, which are nearly all of them.</summary>
    private string Allele(ReadOnlySpan<char> text)
    {
        if (text.Length != 1 || text[0] >= 128)
        {
            return text.ToString();
        }
        return _alleleCache[text[0]] ??= text.ToString();
    }

    public void Dispose() => _reader.Dispose();
}
