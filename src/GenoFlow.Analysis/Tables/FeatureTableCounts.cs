namespace GenoFlow.Analysis.Tables;

/// <summary>How a feature table met the samples a stage used: those absent from it and its missing cells among them.</summary>
public sealed record FeatureTableCounts(string Source, int Columns, int AbsentSamples, long MissingValues)
{
    /// <summary>The line a stage's report prints for the table.</summary>
    public static string Describe(FeatureTableCounts table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"features from {table.Source}: {table.Columns:N0} columns; {table.AbsentSamples:N0} samples absent, {table.MissingValues:N0} missing values (set to the mean)";
    }
}
