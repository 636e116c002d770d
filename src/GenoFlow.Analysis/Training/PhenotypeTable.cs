using System.Globalization;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// A sample table with a header line: tab-separated (whitespace-separated when the header has no tab), one row per
/// sample, keyed by the column <c>sample_id</c> (or <c>IID</c>; otherwise the first column), as <c>genoflow simulate</c>
/// writes phenotypes.tsv and <c>genoflow pca</c> writes scores.tsv. Numeric columns read invariant-culture numbers;
/// empty, <c>NA</c>, <c>NaN</c> and <c>.</c> are missing. Every error names the file, line and column.
/// </summary>
public sealed class PhenotypeTable
{
    private readonly Dictionary<string, int> _rowOf;
    private readonly List<string[]> _rows;
    private readonly List<long> _lines;

    private PhenotypeTable(string path, string[] columns, int idColumn, Dictionary<string, int> rowOf, List<string[]> rows, List<long> lines)
    {
        Path = path;
        Columns = columns;
        IdColumn = idColumn;
        _rowOf = rowOf;
        _rows = rows;
        _lines = lines;
    }

    public string Path { get; }

    public IReadOnlyList<string> Columns { get; }

    public int IdColumn { get; }

    public int RowCount => _rows.Count;

    public IEnumerable<string> SampleIds => _rowOf.Keys;

    public static PhenotypeTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new GenoFlowFormatException(full, "no such file");
        }
        using var reader = new StreamReader(full);
        string? header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new GenoFlowFormatException(full, "empty; expected a header line naming the columns (sample_id first)", line: 1);
        }
        bool tabs = header.Contains('\t', StringComparison.Ordinal);
        string[] columns = Split(header, tabs);
        int id = Array.IndexOf(columns, "sample_id");
        id = id >= 0 ? id : Math.Max(0, Array.IndexOf(columns, "IID"));
        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<string[]>();
        var lines = new List<long>();
        long number = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }
            string[] fields = Split(line, tabs);
            if (fields.Length != columns.Length)
            {
                throw new GenoFlowFormatException(full, $"{fields.Length} fields; the header has {columns.Length}", line: number);
            }
            if (!rowOf.TryAdd(fields[id], rows.Count))
            {
                throw new GenoFlowFormatException(full, $"sample '{fields[id]}' appears twice (first on line {lines[rowOf[fields[id]]]})", line: number, column: id + 1);
            }
            rows.Add(fields);
            lines.Add(number);
        }
        return new PhenotypeTable(full, columns, id, rowOf, rows, lines);
    }

    /// <summary>The index of column <paramref name="name"/>; a clear error naming the file and the columns it has otherwise.</summary>
    public int ColumnIndex(string name, string role)
    {
        int index = Array.IndexOf((string[])Columns, name);
        if (index < 0 || index == IdColumn)
        {
            throw new GenoFlowFormatException(Path, $"no {role} column '{name}' (columns: {string.Join(", ", Columns.Where((_, i) => i != IdColumn))})", line: 1);
        }
        return index;
    }

    public bool TryGetRow(string sampleId, out int row) => _rowOf.TryGetValue(sampleId, out row);

    /// <summary>The value at (row, column); NaN when missing; an error naming file, line and column when not a number.</summary>
    public double Number(int row, int column, string role)
    {
        string text = _rows[row][column];
        if (text.Length == 0 || text is "NA" or "NaN" or "nan" or "." or "na")
        {
            return double.NaN;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new GenoFlowFormatException(Path, $"{role} column '{Columns[column]}' must be numeric; found '{text}'", line: _lines[row], column: column + 1);
        }
        return value;
    }

    /// <summary>Where a row's value sits, for errors found later (file, line, column).</summary>
    public GenoFlowFormatException Error(int row, int column, string problem) => new(Path, problem, line: _lines[row], column: column + 1);

    private static string[] Split(string line, bool tabs) =>
        tabs ? line.Split('\t') : line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
