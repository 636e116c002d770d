using System.Globalization;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Reports;

/// <summary>
/// Reads chosen columns of a tab-separated table with a header row (variant_qc.tsv, eigenvalues.tsv, k-range.tsv,
/// top_features.tsv), keyed by name rather than by a sample id, as text. Every row must have the header's field
/// count; errors name the file, line and column.
/// </summary>
internal sealed class ColumnFile
{
    private readonly Dictionary<string, List<string>> _columns;

    private ColumnFile(string path, string[] header, Dictionary<string, List<string>> columns)
    {
        Path = path;
        Header = header;
        _columns = columns;
    }

    public string Path { get; }

    public IReadOnlyList<string> Header { get; }

    public int RowCount => _columns.Count == 0 ? 0 : _columns.Values.First().Count;

    /// <param name="columns">The columns to keep; null keeps all.</param>
    public static ColumnFile Read(string path, IReadOnlyCollection<string>? columns = null)
    {
        using var reader = new StreamReader(path);
        string[] header = reader.ReadLine()?.Split('\t') ?? throw new GenoFlowFormatException(path, "empty: a header row was expected", line: 1);
        var kept = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var fields = new List<(int Field, List<string> Cells)>();
        foreach (string name in columns ?? header)
        {
            int field = Array.IndexOf(header, name);
            if (field < 0)
            {
                throw new GenoFlowFormatException(path, $"has no column '{name}' (columns: {string.Join(", ", header)})", line: 1);
            }
            var cells = new List<string>();
            kept[name] = cells;
            fields.Add((field, cells));
        }
        long line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }
            string[] cells = text.Split('\t');
            if (cells.Length != header.Length)
            {
                throw new GenoFlowFormatException(path, $"{cells.Length} fields where the header has {header.Length}", line: line);
            }
            foreach ((int field, List<string> list) in fields)
            {
                list.Add(cells[field]);
            }
        }
        return new ColumnFile(path, header, kept);
    }

    public IReadOnlyList<string> Texts(string column) => _columns[column];

    /// <summary>The column as numbers; NA (and empty) reads as NaN, anything else that is not a number is an error.</summary>
    public double[] Numbers(string column)
    {
        List<string> cells = _columns[column];
        var numbers = new double[cells.Count];
        for (int row = 0; row < numbers.Length; row++)
        {
            string cell = cells[row];
            if (cell is "" or "NA" or "nan" or "NaN")
            {
                numbers[row] = double.NaN;
            }
            else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[row]))
            {
                throw new GenoFlowFormatException(Path, $"'{cell}' in column '{column}' is not a number", line: row + 2, column: Array.IndexOf(Header.ToArray(), column) + 1);
            }
        }
        return numbers;
    }
}
