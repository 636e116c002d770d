using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using GenoFlow.Analysis.KMeans;
using GenoFlow.Analysis.Tables;
using GenoFlow.Cli.CommandLine;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow kmeans</c>: mini-batch k-means of a sample table (e.g. PCA scores) over sample shards.</summary>
internal static partial class KMeansCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Sample table (README, Sample tables): text with a header row or .parquet, ids in sample_id, IID or the first column (e.g. a `genoflow pca` scores.tsv)", Required = true };
        var k = new Option<int?>("--k") { Description = "Number of clusters (or use --k-range)" };
        var kRange = new Option<string?>("--k-range") { Description = "Run every K in A..B and report inertia and sampled silhouette per K (DIR/k-range.tsv, DIR/k{K}/)" };
        var output = new Option<string>("--out") { Description = "Output directory: centroids.tsv, assignments.tsv, summary.json", Required = true };
        var columns = new Option<string?>("--columns") { Description = "Comma-separated feature columns (default: every PC1, PC2, ... column, else every numeric column but the id)" };
        var standardize = new Option<bool>("--standardize") { Description = "Scale each column to mean 0, sd 1 before clustering (centroids.tsv stays in the table's units; inertia and distances are in standardised units)" };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per mini-batch (as sklearn's batch_size; at most the row count)", DefaultValueFactory = _ => 1024 };
        var maxSteps = new Option<long?>("--max-steps") { Description = "Step limit per restart (default: floor(100 x rows / batch size), sklearn's max_iter = 100)" };
        var tolerance = new Option<double>("--tolerance") { Description = "Stop a restart when the centres' summed squared movement in one step is at most this x the mean column variance (sklearn's tol; 0 = off)", DefaultValueFactory = _ => 0.0 };
        var maxNoImprovement = new Option<int>("--max-no-improvement") { Description = "Stop a restart after this many steps without a new minimum of the smoothed batch inertia (sklearn's rule; 0 = off)", DefaultValueFactory = _ => 10 };
        var lloydPasses = new Option<int>("--lloyd-passes") { Description = "Full passes after the mini-batch steps that move each centre to the mean of its rows (a Lloyd step; never raises the inertia)", DefaultValueFactory = _ => 1 };
        var init = new Option<string>("--init") { Description = "Initialisation: kmeans-parallel (k-means||), kmeans++ or random", DefaultValueFactory = _ => "kmeans-parallel" };
        init.AcceptOnlyFromAmong("kmeans-parallel", "kmeans++", "random");
        var restarts = new Option<int>("--restarts") { Description = "Initialisations to run; the one with the lowest inertia on the full data is kept", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random draw (same seed, same result on any number of nodes)", DefaultValueFactory = _ => 1UL };
        var features = new Option<string[]>("--features") { Description = "TABLE[:COL,...] (repeatable): per-sample table (TSV or Parquet with sample_id; e.g. omics) joined to --input's rows by id, its numeric columns or those named, standardised, missing at the mean" };
        var rowsPerShard = new Option<int>("--rows-per-shard") { Description = "Rows per sample shard; results depend on it, never on the node count", DefaultValueFactory = _ => KMeansSettings.DefaultRowsPerShard };
        var command = new Command("kmeans", "Mini-batch k-means (Sculley 2010, k-means|| initialisation) of a sample table, distributed over sample shards")
        {
            input, k, kRange, output, columns, standardize, batchSize, maxSteps, tolerance, maxNoImprovement, lloydPasses, init, restarts, seed, rowsPerShard, features,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            int[] ks = Ks(parse.GetValue(k), parse.GetValue(kRange));
            KMeansInit initMethod = KMeansSettings.InitNamed(parse.GetValue(init));
            var settings = ks.Select(kk => new KMeansSettings(kk, parse.GetValue(batchSize), parse.GetValue(maxSteps), parse.GetValue(tolerance), parse.GetValue(maxNoImprovement),
                initMethod, parse.GetValue(restarts), parse.GetValue(seed), parse.GetValue(standardize), LloydPasses: parse.GetValue(lloydPasses))).ToArray();
            Array.ForEach(settings, s => s.Validate());
            string table = parse.GetValue(input)!;
            if (!File.Exists(table))
            {
                throw new CliUsageException($"--input {table}: no such file");
            }
            string[]? requested = parse.GetValue(columns)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var request = new KMeansStage.Request(SampleTable.Read(table), requested, settings, parse.GetValue(rowsPerShard), [.. (parse.GetValue(features) ?? []).Select(FeatureTable.Parse)]);
            await StageCommand.RunAsync(parse, "kmeans", parse.GetValue(output)!, context => KMeansStage.RunAsync(context, request), KMeansStage.Report, cancellationToken);
            return CommandRunner.Ok;
        });
        return command;
    }

    private static int[] Ks(int? k, string? range)
    {
        if (k is null == range is null)
        {
            throw new CliUsageException("give either --k K or --k-range A..B");
        }
        if (k is { } single)
        {
            return [single];
        }
        Match match = RangePattern().Match(range!);
        if (!match.Success)
        {
            throw new CliUsageException($"--k-range '{range}' is not of the form A..B (e.g. 2..10)");
        }
        int from = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        int to = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (from < 1 || to < from)
        {
            throw new CliUsageException($"--k-range {range}: need 1 <= A <= B");
        }
        return Enumerable.Range(from, to - from + 1).ToArray();
    }

    [GeneratedRegex(@"^\s*(\d{1,6})\s*\.\.\s*(\d{1,6})\s*$")]
    private static partial Regex RangePattern();
}
