using System.Globalization;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;

namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// The k-means stage: a sample table (PCA scores, or any table of numbers) into sample shards in scratch space, one
/// mini-batch k-means run per K, the files published. One setting gives the three files; several (a K range) add the
/// sampled silhouette and k-range.tsv.
/// </summary>
public static class KMeansStage
{
    /// <param name="Columns">Feature columns; null chooses as <see cref="SampleTable.WriteShards"/> does.</param>
    /// <param name="Features">Per-sample tables (--features) joined to the table's rows by sample id, standardised.</param>
    public sealed record Request(SampleTable Table, IReadOnlyList<string>? Columns, IReadOnlyList<KMeansSettings> Settings, int RowsPerShard = KMeansSettings.DefaultRowsPerShard,
        IReadOnlyList<FeatureTable>? Features = null);

    public sealed record Result(IReadOnlyList<KMeansResult> Runs, IReadOnlyList<double?> Silhouettes, long Rows, IReadOnlyList<string> Columns, int Shards, bool Standardized,
        IReadOnlyList<FeatureTableCounts>? FeatureTables = null);

    public static async Task<Result> RunAsync(StageContext context, Request request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Settings.Count == 0)
        {
            throw new StageParameterException("k", "needs at least one value");
        }
        foreach (KMeansSettings settings in request.Settings)
        {
            settings.Validate();
        }
        StageParameterException.ThrowIfBelowOne("rows-per-shard", request.RowsPerShard);
        FeatureTableJoin? joined = null;
        if (request.Features is { Count: > 0 } tables)
        {
            FeatureTable.CheckDistinct(request.Table.FeatureColumns(request.Columns), tables);
            joined = FeatureTableJoin.Of(request.Table.SampleIds, tables);
        }
        var scratch = context.CreateScratch();
        SampleShardSet set = request.Table.WriteShards(request.Columns, scratch.DirectoryOf("shards"), request.RowsPerShard, joined);
        long rows = set.Manifest.Rows;
        int largest = request.Settings.Max(s => s.K);
        if (largest > rows)
        {
            throw new StageParameterException("k", $"{largest} is larger than the {rows} rows of {request.Table.Source}");
        }
        IReadOnlyList<KMeansSettings> all = request.Settings;
        bool range = all.Count > 1;
        bool standardize = all[0].Standardize;
        var runs = new List<(KMeansResult Result, KMeansOutput.Context Context)>();
        KMeansData data = await KMeansData.PrepareAsync(context.Executor, set, standardize, context.CancellationToken).ConfigureAwait(false);
        double[]? sample = range ? await Silhouette.SampleAsync(context.Executor, data, Silhouette.DefaultSampleSize, all[0].Seed, context.CancellationToken).ConfigureAwait(false) : null;
        for (int i = 0; i < all.Count; i++)
        {
            int index = i;
            var perK = new Progress<double>(p => context.Progress?.Report((index + p) / all.Count));
            KMeansResult result = await MiniBatchKMeans.RunAsync(context.Executor, data, all[i], scratch, perK, context.CancellationToken).ConfigureAwait(false);
            double? silhouette = sample is null ? null : Silhouette.Score(sample, data.Dimensions, result.Centres);
            runs.Add((result, new KMeansOutput.Context(request.Table.Source, request.RowsPerShard, set.ShardCount, silhouette, sample?.Length / data.Dimensions, joined?.Counts)));
        }
        if (range)
        {
            KMeansOutput.WriteRange(runs, context.OutputDirectory);
        }
        else
        {
            KMeansOutput.Write(runs[0].Result, runs[0].Context, context.OutputDirectory);
        }
        return new Result([.. runs.Select(r => r.Result)], [.. runs.Select(r => r.Context.Silhouette)], rows, set.Columns, set.ShardCount, standardize, joined?.Counts);
    }

    public static IEnumerable<string> Report(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        bool range = result.Runs.Count > 1;
        yield return $"k-means of {result.Rows:N0} rows x {result.Columns.Count} columns ({string.Join(",", result.Columns)}) in {result.Shards} shards{(result.Standardized ? ", standardised" : "")}";
        foreach (FeatureTableCounts table in result.FeatureTables ?? [])
        {
            yield return FeatureTableCounts.Describe(table);
        }
        if (range)
        {
            yield return "k\tinertia\tsilhouette\tsteps";
        }
        for (int i = 0; i < result.Runs.Count; i++)
        {
            KMeansResult run = result.Runs[i];
            KMeansRestart best = run.Restarts[run.BestRestart];
            yield return range
                ? $"{run.K}\t{Format(run.Inertia)}\t{Optional(result.Silhouettes[i])}\t{best.Steps}"
                : $"k = {run.K}: inertia {Format(run.Inertia)}, restart {best.Restart} of {run.Restarts.Count} kept ({best.Steps} steps, stopped by {best.StopReason}); cluster sizes {string.Join(", ", run.ClusterSizes)}";
        }
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Optional(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "NA";
}
