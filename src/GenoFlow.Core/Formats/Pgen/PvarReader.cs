using System.Globalization;
using GenoFlow.Core.Formats.Plink;
using ZstdSharp;

namespace GenoFlow.Core.Formats.Pgen;

/// <summary>
/// Streams a .pvar (or .pvar.zst, as <c>--make-pgen vzs</c> writes it): <c>##</c> lines, a <c>#CHROM</c> header naming
/// the columns (CHROM, POS, ID, REF, ALT required; CM optional; others ignored), then one variant per line with ALT
/// alleles separated by commas. A file without a <c>#CHROM</c> line is read as .bim columns (chrom id cm pos alt ref),
/// as plink2 does.
/// </summary>
internal sealed class PvarReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly int _chrom;
    private readonly int _pos;
    private readonly int _id;
    private readonly int _ref;
    private readonly int _alt;
    private readonly int _cm;
    private readonly int _columns;
    private string? _pending;
    private string _lastChrom = "";

    private PvarReader(string path, TextReader reader)
    {
        Path = path;
        _reader = reader;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            LineNumber++;
            if (!line.StartsWith("##", StringComparison.Ordinal))
            {
                break;
            }
        }
        if (line is not null && line.StartsWith("#CHROM", StringComparison.Ordinal))
        {
            string[] names = line[1..].Split('\t');
            _columns = names.Length;
            _chrom = 0;
            _pos = Column(names, "POS");
            _id = Column(names, "ID");
            _ref = Column(names, "REF");
            _alt = Column(names, "ALT");
            _cm = Array.IndexOf(names, "CM");
        }
        else
        {
            (_chrom, _id, _cm, _pos, _alt, _ref, _columns) = (0, 1, 2, 3, 4, 5, 6);
            _pending = line;
            LineNumber--;
        }
    }

    public string Path { get; }

    public long LineNumber { get; private set; }

    /// <summary>Opens PREFIX.pvar, or PREFIX.pvar.zst when there is no plain one.</summary>
    public static PvarReader Open(string prefix)
    {
        string plain = prefix + ".pvar";
        string zst = plain + ".zst";
        if (!File.Exists(plain) && File.Exists(zst))
        {
            FileStream file = PlinkFile.OpenRead(zst);
            return new PvarReader(zst, new StreamReader(new DecompressionStream(file), bufferSize: 1 << 16));
        }
        return new PvarReader(plain, new StreamReader(PlinkFile.OpenRead(plain), bufferSize: 1 << 16));
    }

    /// <summary>The next variant's fields, or null at the end of the file.</summary>
    public PvarRecord? ReadNext()
    {
        string? line;
        do
        {
            line = _pending ?? ReadLine();
            _pending = null;
            if (line is null)
            {
                return null;
            }
            LineNumber++;
        }
        while (PlinkText.IsBlank(line));
        string[] fields = line.Split(_columns == 6 && _pos == 3 ? [' ', '\t'] : ['\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < _columns)
        {
            throw new GenoFlowFormatException(Path, $"expected {_columns} columns, found {fields.Length}", LineNumber);
        }
        if (!long.TryParse(fields[_pos], NumberStyles.Integer, CultureInfo.InvariantCulture, out long pos))
        {
            throw new GenoFlowFormatException(Path, $"POS must be an integer, found '{fields[_pos]}'", LineNumber, _pos + 1);
        }
        double cm = 0;
        if (_cm >= 0 && !double.TryParse(fields[_cm], NumberStyles.Float, CultureInfo.InvariantCulture, out cm))
        {
            throw new GenoFlowFormatException(Path, $"CM must be a number, found '{fields[_cm]}'", LineNumber, _cm + 1);
        }
        string chrom = fields[_chrom] == _lastChrom ? _lastChrom : (_lastChrom = fields[_chrom]);
        return new PvarRecord(chrom, pos, fields[_id], fields[_ref], fields[_alt].Split(','), cm);
    }

    private string? ReadLine()
    {
        try
        {
            return _reader.ReadLine();
        }
        catch (ZstdException e)
        {
            throw new GenoFlowFormatException(Path, $"the zstd stream is damaged: {e.Message}", LineNumber + 1, inner: e);
        }
    }

    private int Column(string[] names, string name)
    {
        int index = Array.IndexOf(names, name);
        return index >= 0 ? index : throw new GenoFlowFormatException(Path, $"the #CHROM header has no {name} column", LineNumber);
    }

    public void Dispose() => _reader.Dispose();
}

/// <summary>One .pvar line: REF and the ALT alleles.</summary>
internal sealed record PvarRecord(string Chrom, long Position, string Id, string Ref, string[] Alts, double CentiMorgans);
