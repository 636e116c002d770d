using System.Globalization;
using GenoFlow.Analysis.Execution;
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
        string shardsPath = scratch.DirectoryOf("shards");
        // In-process, the shards stay in memory: writing them as Parquet and reading them back was most of a run (1M x 20: ~3 s of ~5 s).
        var host = context.Executor as IInMemoryShardHost;
        InMemoryShardSet? held = host is null ? null : request.Table.Shards(request.Columns, shardsPath, request.RowsPerShard, joined);
        if (held is not null && !host!.TryHold(held))
        {
            held = null;
        }
        try
        {
            SampleShardSet? written = held is null ? request.Table.WriteShards(request.Columns, shardsPath, request.RowsPerShard, joined) : null;
            KMeansData data = held is not null
                ? await KMeansData.PrepareAsync(context.Executor, held, request.Settings[0].Standardize, context.CancellationToken).ConfigureAwait(false)
                : await KMeansData.PrepareAsync(context.Executor, written!, request.Settings[0].Standardize, context.CancellationToken).ConfigureAwait(false);
            return await RunAsync(context, request, data, scratch, joined?.Counts).ConfigureAwait(false);
        }
        finally
        {
            if (held is not null)
            {
                host!.Release(held);
            }
        }
    }

    private static async Task<Result> RunAsync(StageContext context, Request request, KMeansData data, ScratchStore scratch, IReadOnlyList<FeatureTableCounts>? tables)
    {
        long rows = data.Rows;
        int largest = request.Settings.Max(s => s.K);
        if (largest > rows)
        {
            throw new StageParameterException("k", $"{largest} is larger than the {rows} rows of {request.Table.Source}");
        }
        IReadOnlyList<KMeansSettings> all = request.Settings;
        bool range = all.Count > 1;
        var runs = new List<(KMeansResult Result, KMeansOutput.Context Context)>();
        double[]? sample = range ? await Silhouette.SampleAsync(context.Executor, data, Silhouette.DefaultSampleSize, all[0].Seed, context.CancellationToken).ConfigureAwait(false) : null;
        for (int i = 0; i < all.Count; i++)
        {
            int index = i;
            var perK = new Progress<double>(p => context.Progress?.Report((index + p) / all.Count));
            KMeansResult result = await MiniBatchKMeans.RunAsync(context.Executor, data, all[i], scratch, perK, context.CancellationToken).ConfigureAwait(false);
            double? silhouette = sample is null ? null : Silhouette.Score(sample, data.Dimensions, result.Centres);
            runs.Add((result, new KMeansOutput.Context(request.Table.Source, request.RowsPerShard, data.ShardCount, silhouette, sample?.Length / data.Dimensions, tables)));
        }
        if (range)
        {
            KMeansOutput.WriteRange(runs, context.OutputDirectory);
        }
        else
        {
            KMeansOutput.Write(runs[0].Result, runs[0].Context, context.OutputDirectory);
        }
        return new Result([.. runs.Select(r => r.Result)], [.. runs.Select(r => r.Context.Silhouette)], rows, data.Columns, data.ShardCount, data.Standardized, tables);
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
