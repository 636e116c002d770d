using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Tables;

/// <summary>
/// A per-sample feature table given as <c>--features TABLE[:COL,...]</c> (gene expression, methylation, proteomics,
/// clinical measurements): a <see cref="SampleTable"/> (text or Parquet, with its id rules) and the numeric columns
/// used as features, all of them when none are named. Missing cells are NaN (a model standardises them to the mean).
/// </summary>
public sealed record FeatureTable(SampleTable Table, IReadOnlyList<int> Columns)
{
    /// <summary>The feature names: the columns' names.</summary>
    public IEnumerable<string> Names => Columns.Select(c => Table.Columns[c]);

    /// <summary>
    /// Reads <c>TABLE</c> or <c>TABLE:COL,...</c> (split at the last ':' unless the whole argument is a file). Errors
    /// name the option and the table.
    /// </summary>
    public static FeatureTable Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string path = PathOf(spec);
        bool named = path.Length < spec.Length;
        if (!File.Exists(path))
        {
            throw new StageParameterException("features", $"table '{path}' does not exist");
        }
        SampleTable table = SampleTable.Read(path);
        if (!named)
        {
            int[] numeric = [.. Enumerable.Range(0, table.Columns.Count).Where(table.IsNumeric)];
            return numeric.Length > 0 ? new FeatureTable(table, numeric)
                : throw new StageParameterException("features", $"table {path} has no numeric column besides the sample id '{table.IdColumn}'");
        }
        string[] names = spec[(path.Length + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new StageParameterException("features", $"'{spec}' names no column after the ':'");
        }
        int[] columns = [.. names.Select(n => table.ColumnIndex(n, "feature"))];
        foreach (int c in columns.Where(c => !table.IsNumeric(c)))
        {
            table.Number(0, c, "feature");
        }
        return new FeatureTable(table, columns);
    }

    /// <summary>The table's path in <c>TABLE</c> or <c>TABLE:COL,...</c>: all of it when that is a file, else the part before the last ':'.</summary>
    public static string PathOf(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int colon = spec.LastIndexOf(':');
        return !File.Exists(spec) && colon > 0 ? spec[..colon] : spec;
    }

    /// <summary>Refuses a feature name that another feature (covariate, PC or table column) already has.</summary>
    public static void CheckDistinct(IEnumerable<string> others, IReadOnlyList<FeatureTable> tables)
    {
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(tables);
        var seen = new HashSet<string>(others, StringComparer.Ordinal);
        foreach (FeatureTable table in tables)
        {
            foreach (string name in table.Names)
            {
                if (!seen.Add(name))
                {
                    throw new StageParameterException("features", $"column '{name}' of {table.Table.Source} has the name of another feature; give each table's columns distinct names");
                }
            }
        }
    }
}
