namespace GenoFlow.Analysis.Tables;

/// <summary>
/// The <c>--features</c> tables joined to a stage's samples by sample id, one rule for <c>train</c> and
/// <c>kmeans</c>: a sample absent from a table gets NaN (missing) in each of its columns and is counted once per
/// table; a missing cell of a present sample is counted per cell. Callers standardise and put the mean for NaN.
/// </summary>
public sealed record FeatureTableJoin(IReadOnlyList<string> Names, IReadOnlyList<double[]> Columns, IReadOnlyList<FeatureTableCounts> Counts)
{
    /// <summary>The joined columns, in table order then column order, one value per id of <paramref name="sampleIds"/>.</summary>
    public static FeatureTableJoin Of(IReadOnlyList<string> sampleIds, IReadOnlyList<FeatureTable> tables)
    {
        ArgumentNullException.ThrowIfNull(sampleIds);
        ArgumentNullException.ThrowIfNull(tables);
        var columns = new List<double[]>();
        var counts = new List<FeatureTableCounts>(tables.Count);
        foreach (FeatureTable table in tables)
        {
            int[] rows = [.. sampleIds.Select(id => table.Table.TryGetRow(id, out int row) ? row : -1)];
            long missing = 0;
            foreach (int c in table.Columns)
            {
                var values = new double[sampleIds.Count];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = rows[i] >= 0 ? table.Table.Number(rows[i], c, "feature") : double.NaN;
                    missing += rows[i] >= 0 && double.IsNaN(values[i]) ? 1 : 0;
                }
                columns.Add(values);
            }
            counts.Add(new FeatureTableCounts(table.Table.Source, table.Columns.Count, rows.Count(r => r < 0), missing));
        }
        return new FeatureTableJoin([.. tables.SelectMany(t => t.Names)], columns, counts);
    }

    /// <summary>
    /// Each column standardised over its present values, (x − mean)/sd with the population sd (a constant column keeps
    /// scale 1), a missing value set to the mean, i.e. 0.
    /// </summary>
    public IReadOnlyList<double[]> Standardized() => [.. Columns.Select(Standardize)];

    private static double[] Standardize(double[] values)
    {
        double[] present = [.. values.Where(v => !double.IsNaN(v))];
        double mean = present.Length > 0 ? present.Average() : 0;
        double variance = present.Length > 0 ? present.Sum(v => (v - mean) * (v - mean)) / present.Length : 0;
        double scale = variance > 0 ? 1 / Math.Sqrt(variance) : 1;
        return [.. values.Select(v => double.IsNaN(v) ? 0 : (v - mean) * scale)];
    }
}
