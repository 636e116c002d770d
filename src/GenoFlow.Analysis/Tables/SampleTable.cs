using System.Text.RegularExpressions;
using GenoFlow.Analysis.Shards;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Tables;

/// <summary>
/// A table of samples, one row per sample: what <c>genoflow kmeans</c>, <c>train</c> and <c>predict</c> read (a
/// phenotype table, a <c>genoflow pca</c> or <c>project</c> scores.tsv), with its rules decided here once:
/// <list type="bullet">
/// <item>Parquet when the name ends in <c>.parquet</c> (columns of double, float, int, long or string); otherwise text
/// in UTF-8 (a byte-order mark is skipped) with a header row naming the columns.</item>
/// <item>Separators: tabs when the header has a tab (empty fields are kept); otherwise runs of spaces and tabs, as in
/// PLINK's whitespace-separated files. A line ending in CR LF reads like one ending in LF; empty lines (and lines of
/// only spaces in a whitespace-separated file) are skipped.</item>
/// <item>The sample id column is <c>sample_id</c>, else <c>IID</c>, else the first column. An empty id, or an id on
/// two rows, is refused (naming both lines). Column names must be distinct.</item>
/// <item>A cell is missing when it is empty, <c>NA</c>, <c>na</c>, <c>NaN</c>, <c>nan</c> or <c>.</c> (Parquet: also
/// null); otherwise it is a number when it reads as a finite invariant-culture number (<c>1.5</c>, <c>-2e-3</c>),
/// otherwise text. A column of numbers and missing cells holds doubles (NaN = missing); any other column keeps its
/// cells' text, and asking for it as a number fails naming its first cell that is not a number.</item>
/// <item>Every row has as many fields as the header; there is at least one row.</item>
/// <item>Every error names the file, the line (Parquet: the row, counted from 1) and the column.</item>
/// </list>
/// The whole table is held in memory (a 1,000,000 x 20 table of numbers: about 200 MB).
/// </summary>
public sealed partial class SampleTable
{
    /// <summary>What rows are numbered by in errors.</summary>
    internal enum Origin
    {
        /// <summary>Lines of a text file; column numbers are field positions.</summary>
        Text,

        /// <summary>Rows of a Parquet file, counted from 1; columns by name.</summary>
        Parquet,

        /// <summary>Rows of a table built in memory; columns by name.</summary>
        Memory,
    }

    private readonly Origin _origin;
    private readonly string[] _ids;
    private readonly long[]? _lines;
    private readonly TableColumn[] _columns;
    private readonly Dictionary<string, int> _rowOf;

    /// <summary>A table read by one of the readers: <paramref name="lines"/> holds each row's line in a text file.</summary>
    internal SampleTable(string source, Origin origin, string idColumn, int idField, string[] ids, long[]? lines, TableColumn[] columns)
    {
        Debug.Assert(origin != Origin.Text || lines?.Length == ids.Length);
        Debug.Assert(columns.All(c => (c.Numbers?.Length ?? c.Texts!.Length) == ids.Length));
        Source = source;
        _origin = origin;
        IdColumn = idColumn;
        _ids = ids;
        _lines = lines;
        _columns = columns;
        Columns = [.. columns.Select(c => c.Name)];
        _rowOf = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int row = 0; row < ids.Length; row++)
        {
            if (!_rowOf.TryAdd(ids[row], row))
            {
                int first = _rowOf[ids[row]];
                throw Fail(row, idField, idColumn, $"sample '{ids[row]}' appears twice ({Where(first)} and {Where(row)})");
            }
        }
    }

    /// <summary>The full path of the file, or a description of a table built in memory.</summary>
    public string Source { get; }

    /// <summary>The name of the sample id column.</summary>
    public string IdColumn { get; }

    /// <summary>Every column but the sample id column, in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>In row (file) order.</summary>
    public IReadOnlyList<string> SampleIds => _ids;

    public int RowCount => _ids.Length;

    /// <summary>Reads a text table, or a Parquet one when <paramref name="path"/> ends in <c>.parquet</c>.</summary>
    public static SampleTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new GenoFlowFormatException(full, "no such file");
        }
        return full.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? ParquetTableReader.Read(full) : TextTableReader.Read(full);
    }

    /// <summary>
    /// A table of numbers built in memory (e.g. PCA scores); <paramref name="source"/> says what it is in errors.
    /// NaN marks a missing value; the sample ids must be distinct and not empty.
    /// </summary>
    public static SampleTable FromColumns(string source, IReadOnlyList<string> sampleIds, IReadOnlyList<string> names, IReadOnlyList<double[]> columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(sampleIds);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(columns);
        if (names.Count != columns.Count)
        {
            throw new ArgumentException($"{names.Count} names for {columns.Count} columns", nameof(names));
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count || names.Contains(TableHeader.SampleId))
        {
            throw new ArgumentException($"column names must be distinct and not {TableHeader.SampleId}: {string.Join(", ", names)}", nameof(names));
        }
        if (sampleIds.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("a sample id is empty", nameof(sampleIds));
        }
        var built = new TableColumn[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            if (columns[c].Length != sampleIds.Count)
            {
                throw new ArgumentException($"column {names[c]} has {columns[c].Length} values for {sampleIds.Count} samples", nameof(columns));
            }
            if (columns[c].Any(double.IsInfinity))
            {
                throw new ArgumentException($"column {names[c]} holds an infinite value; values are finite or NaN (missing)", nameof(columns));
            }
            built[c] = new TableColumn(names[c], c + 2, [.. columns[c]], null);
        }
        try
        {
            return new SampleTable(source, Origin.Memory, TableHeader.SampleId, 1, [.. sampleIds], null, built);
        }
        catch (GenoFlowFormatException e)
        {
            throw new ArgumentException(e.Problem, nameof(sampleIds), e);
        }
    }

    public bool TryGetRow(string sampleId, out int row) => _rowOf.TryGetValue(sampleId, out row);

    /// <summary>The index in <see cref="Columns"/> of <paramref name="name"/>; an error listing the columns when there is none.</summary>
    public int ColumnIndex(string name, string role)
    {
        int index = Array.FindIndex(_columns, c => c.Name == name);
        if (index >= 0)
        {
            return index;
        }
        string problem = name == IdColumn
            ? $"'{name}' is the sample id column, not a {role} column"
            : $"no {role} column '{name}' (columns: {string.Join(", ", Columns)})";
        throw HeaderError(problem);
    }

    /// <summary>True when every cell of the column is a number or missing.</summary>
    public bool IsNumeric(int column) => _columns[column].Numbers is not null;

    /// <summary>The value at (row, column); NaN when missing; an error naming the column's first cell that is not a number when it holds text.</summary>
    public double Number(int row, int column, string role)
    {
        TableColumn held = _columns[column];
        return held.Numbers is { } numbers ? numbers[row] : throw NotNumeric(column, role);
    }

    /// <summary>The cell of a text column (<see cref="IsNumeric"/> false) as the file has it.</summary>
    public string Text(int row, int column)
    {
        TableColumn held = _columns[column];
        return held.Texts is { } texts ? texts[row] : throw new ArgumentException($"column {held.Name} holds numbers; read it with {nameof(Number)}", nameof(column));
    }

    /// <summary>An error about the cell at (row, column), for problems found by the caller: names the file, line (Parquet: row) and column.</summary>
    public GenoFlowFormatException Error(int row, int column, string problem) => Fail(row, _columns[column].Field, _columns[column].Name, problem);

    /// <summary>
    /// Writes the table's features as a sample shard set of <paramref name="rowsPerShard"/> consecutive rows. The
    /// features are <paramref name="columns"/> in the order given, else every <c>PC1, PC2, …</c> column (a scores
    /// table), else every numeric column. Every value must be present: a missing one fails naming its line and column.
    /// <paramref name="joined"/> (the <c>--features</c> tables joined to this table's rows) adds its columns after
    /// them, standardised, a missing value at the mean.
    /// </summary>
    public SampleShardSet WriteShards(IReadOnlyList<string>? columns, string shardSetPath, int rowsPerShard, FeatureTableJoin? joined = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(shardSetPath);
        var (names, features) = Features(columns, joined);
        using SampleShardSetWriter writer = SampleShardSetWriter.Create(shardSetPath, names, rowsPerShard);
        var values = new double[features.Length];
        for (int row = 0; row < RowCount; row++)
        {
            FeatureRow(row, features, values);
            writer.Add(_ids[row], -1, values);
        }
        return writer.Commit();
    }

    /// <summary>
    /// The shards <see cref="WriteShards"/> would write, built in memory (the same rows, ids and values), for an
    /// executor whose shards live in this process: nothing is written to scratch and read back.
    /// </summary>
    public InMemoryShardSet Shards(IReadOnlyList<string>? columns, string name, int rowsPerShard, FeatureTableJoin? joined = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowsPerShard);
        var (names, features) = Features(columns, joined);
        int d = features.Length;
        var shards = new SampleShard[(RowCount + rowsPerShard - 1) / rowsPerShard];
        for (int s = 0; s < shards.Length; s++)
        {
            int first = s * rowsPerShard;
            int rows = Math.Min(rowsPerShard, RowCount - first);
            var values = new double[(long)rows * d];
            for (int r = 0; r < rows; r++)
            {
                FeatureRow(first + r, features, values.AsSpan(r * d, d));
            }
            var noSampleIndex = new int[rows];
            Array.Fill(noSampleIndex, -1);
            shards[s] = new SampleShard(s, first, new ArraySegment<string>(_ids, first, rows), noSampleIndex, d, values, null);
        }
        return new InMemoryShardSet(name, names, shards);
    }

    /// <summary>The names of the columns <see cref="WriteShards"/> takes as features for <paramref name="columns"/>.</summary>
    public IReadOnlyList<string> FeatureColumns(IReadOnlyList<string>? columns) => [.. ChooseFeatures(columns).Select(c => Columns[c])];

    /// <summary>
    /// The feature columns chosen as <see cref="WriteShards"/> says, then the joined tables' standardised columns (never
    /// missing; column −1): their names and values.
    /// </summary>
    private (string[] Names, (int Column, double[] Values)[] Features) Features(IReadOnlyList<string>? columns, FeatureTableJoin? joined)
    {
        int[] chosen = ChooseFeatures(columns);
        Debug.Assert(joined is null || joined.Columns.All(c => c.Length == RowCount));
        return ([.. chosen.Select(c => Columns[c]), .. joined?.Names ?? []],
            [.. chosen.Select(c => (c, _columns[c].Numbers ?? throw NotNumeric(c, "feature"))), .. (joined?.Standardized() ?? []).Select(v => (-1, v))]);
    }

    /// <summary>One row's features; a missing one fails naming its line and column.</summary>
    private void FeatureRow(int row, (int Column, double[] Values)[] features, Span<double> values)
    {
        for (int f = 0; f < features.Length; f++)
        {
            values[f] = features[f].Values[row];
            if (double.IsNaN(values[f]))
            {
                throw Error(row, features[f].Column, $"feature column '{Columns[features[f].Column]}' has no value here; every feature needs a number");
            }
        }
    }

    private int[] ChooseFeatures(IReadOnlyList<string>? requested)
    {
        if (requested is { Count: > 0 })
        {
            int[] named = [.. requested.Select(name => ColumnIndex(name, "feature"))];
            return named.Distinct().Count() == named.Length ? named : throw HeaderError($"a feature column is named twice ({string.Join(", ", requested)})");
        }
        int[] pcs = [.. Enumerable.Range(0, _columns.Length).Where(c => PcColumn().IsMatch(Columns[c]))];
        if (pcs.Length > 0)
        {
            return pcs;
        }
        int[] numeric = [.. Enumerable.Range(0, _columns.Length).Where(IsNumeric)];
        return numeric.Length > 0 ? numeric : throw HeaderError($"no numeric column besides the sample id column {IdColumn} (columns: {string.Join(", ", Columns)})");
    }

    private GenoFlowFormatException NotNumeric(int column, string role)
    {
        TableColumn held = _columns[column];
        int row = Array.FindIndex(held.Texts!, text => !TableCell.TryNumber(text, out _));
        Debug.Assert(row >= 0, "a text column has a cell that is not a number");
        return Error(row, column, $"{role} column '{held.Name}' must be numeric; found '{held.Texts![row]}'");
    }

    private GenoFlowFormatException HeaderError(string problem) => _origin == Origin.Text ? new(Source, problem, line: 1) : new(Source, problem);

    /// <summary>Where a row is, in words: "line 7" or "row 6".</summary>
    private string Where(int row) => _origin == Origin.Text ? $"line {_lines![row]}" : $"row {row + 1}";

    private GenoFlowFormatException Fail(int row, int field, string name, string problem) => _origin switch
    {
        Origin.Text => new GenoFlowFormatException(Source, problem, line: _lines![row], column: field),
        Origin.Parquet => new GenoFlowFormatException(Source, $"row {row + 1}, column {name}: {problem}"),
        _ => new GenoFlowFormatException(Source, $"row {row + 1} (sample {_ids[row]}), column {name}: {problem}"),
    };

    [GeneratedRegex("^PC[0-9]+$")]
    private static partial Regex PcColumn();
}
