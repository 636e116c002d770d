using System.Globalization;
using System.Text;
using System.Text.Json;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Tables;

namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// Writes a k-means run into a directory (staged beside it, then renamed, as <see cref="PcaOutput.Publish"/>):
/// <c>centroids.tsv</c> (<c>cluster</c> + the feature columns, in the table's units), <c>assignments.tsv</c>
/// (<c>sample_id cluster distance</c>, the Euclidean distance to the assigned centre in k-means space, rows in table
/// order) and <c>summary.json</c>. Clusters are numbered from 0. A K range adds <c>k-range.tsv</c> and puts each K's
/// files in <c>k{K}/</c>.
/// </summary>
public static class KMeansOutput
{
    public const string CentroidsFile = "centroids.tsv";
    public const string AssignmentsFile = "assignments.tsv";
    public const string SummaryFile = "summary.json";
    public const string KRangeFile = "k-range.tsv";

    /// <param name="Input">The table the rows came from, as given.</param>
    /// <param name="RowsPerShard">Rows per sample shard (the result depends on it, never on the node count).</param>
    /// <param name="Silhouette">The sampled silhouette, when computed.</param>
    /// <param name="FeatureTables">How each --features table met the input's samples (none without tables).</param>
    public sealed record Context(string Input, int RowsPerShard, int Shards, double? Silhouette = null, int? SilhouetteSample = null, IReadOnlyList<FeatureTableCounts>? FeatureTables = null);

    public static void Write(KMeansResult result, Context context, string directory) =>
        OutputDirectory.Publish(directory, staging => WriteFiles(result, context, staging));

    public static void WriteRange(IReadOnlyList<(KMeansResult Result, Context Context)> runs, string directory) => OutputDirectory.Publish(directory, staging =>
    {
        using (StreamWriter table = TextTable.Create(Path.Join(staging, KRangeFile)))
        {
            table.WriteLine("k\tinertia\tsilhouette\tsteps");
            foreach (var (result, context) in runs)
            {
                table.WriteLine($"{result.K}\t{TextTable.Format(result.Inertia)}\t{FormatOptional(context.Silhouette)}\t{result.Restarts[result.BestRestart].Steps}");
            }
        }
        foreach (var (result, context) in runs)
        {
            string sub = Path.Join(staging, $"k{result.K}");
            Directory.CreateDirectory(sub);
            WriteFiles(result, context, sub);
        }
    });

    internal static string FormatOptional(double? value) => value is { } v && !double.IsNaN(v) ? TextTable.Format(v) : "NA";

    private static void WriteFiles(KMeansResult result, Context context, string directory)
    {
        int d = result.Columns.Count;
        using (StreamWriter centroids = TextTable.Create(Path.Join(directory, CentroidsFile)))
        {
            centroids.WriteLine("cluster\t" + string.Join('\t', result.Columns));
            var line = new StringBuilder();
            for (int c = 0; c < result.K; c++)
            {
                line.Clear().Append(c.ToString(CultureInfo.InvariantCulture));
                for (int j = 0; j < d; j++)
                {
                    line.Append('\t').Append(TextTable.Format(result.OriginalCentres[c * d + j]));
                }
                centroids.WriteLine(line);
            }
        }
        using (var assignments = new FileStream(Path.Join(directory, AssignmentsFile), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            assignments.Write("sample_id\tcluster\tdistance\n"u8);
            foreach (string piece in result.AssignmentPieces)
            {
                using var input = new FileStream(piece, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                input.CopyTo(assignments);
                ScratchTraffic.CountRead(input.Length);
            }
        }
        WriteSummary(result, context, Path.Join(directory, SummaryFile));
    }

    private static void WriteSummary(KMeansResult result, Context context, string path)
    {
        KMeansSettings s = result.Settings;
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteNumber("format_version", 1);
        json.WriteNumber("k", result.K);
        json.WriteNumber("inertia", result.Inertia);
        json.WriteString("inertia_definition", "sum over rows of the squared Euclidean distance to the assigned centre" + (result.Standardized ? " (standardised columns)" : ""));
        json.WriteNumber("rows", result.Rows);
        json.WriteStartArray("columns");
        foreach (string column in result.Columns)
        {
            json.WriteStringValue(column);
        }
        json.WriteEndArray();
        json.WriteBoolean("standardized", result.Standardized);
        json.WriteString("input", context.Input);
        if (context.FeatureTables is { Count: > 0 } tables)
        {
            json.WriteStartArray("feature_tables");
            foreach (FeatureTableCounts table in tables)
            {
                json.WriteStartObject();
                json.WriteString("source", table.Source);
                json.WriteNumber("columns", table.Columns);
                json.WriteNumber("absent_samples", table.AbsentSamples);
                json.WriteNumber("missing_values", table.MissingValues);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteNumber("steps", result.Restarts[result.BestRestart].Steps);
        json.WriteNumber("restarts", s.Restarts);
        json.WriteNumber("best_restart", result.BestRestart);
        json.WriteNumber("seed", s.Seed);
        json.WriteString("init", InitName(s.Init));
        json.WriteNumber("batch_size", s.EffectiveBatch(result.Rows));
        json.WriteNumber("max_steps", s.StepsFor(result.Rows));
        json.WriteNumber("tolerance", s.Tolerance);
        json.WriteNumber("max_no_improvement", s.MaxNoImprovement);
        json.WriteNumber("lloyd_passes", s.LloydPasses);
        json.WriteNumber("rows_per_shard", context.RowsPerShard);
        json.WriteNumber("shards", context.Shards);
        if (context.Silhouette is { } silhouette && !double.IsNaN(silhouette))
        {
            json.WriteNumber("silhouette", silhouette);
            json.WriteNumber("silhouette_sample", context.SilhouetteSample ?? 0);
        }
        json.WriteStartArray("clusters");
        for (int c = 0; c < result.K; c++)
        {
            json.WriteStartObject();
            json.WriteNumber("cluster", c);
            json.WriteNumber("size", result.ClusterSizes[c]);
            json.WriteNumber("inertia", result.ClusterInertia[c]);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("restart_results");
        foreach (KMeansRestart restart in result.Restarts)
        {
            json.WriteStartObject();
            json.WriteNumber("restart", restart.Restart);
            json.WriteNumber("steps", restart.Steps);
            json.WriteString("stopped_by", restart.StopReason);
            json.WriteNumber("inertia", restart.Inertia);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("convergence");
        foreach (KMeansTracePoint point in result.Trace)
        {
            json.WriteStartObject();
            json.WriteNumber("step", point.Step);
            json.WriteNumber("batch_inertia", point.BatchInertia);
            if (double.IsNaN(point.SmoothedInertia))
            {
                json.WriteNull("smoothed_inertia");
            }
            else
            {
                json.WriteNumber("smoothed_inertia", point.SmoothedInertia);
            }
            json.WriteNumber("centre_shift", point.CentreShift);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static string InitName(KMeansInit init) => init switch
    {
        KMeansInit.KMeansParallel => "kmeans-parallel",
        KMeansInit.KMeansPlusPlus => "kmeans++",
        _ => "random",
    };
}
