using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using GenoFlow.Analysis.KMeans;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Shards;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Engine.Hosting;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow kmeans</c>: mini-batch k-means of a sample table (e.g. PCA scores) over sample shards.</summary>
internal static partial class KMeansCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Sample table: TSV with a header row, or .parquet; needs a sample_id column (e.g. a `genoflow pca` scores.tsv)", Required = true };
        var k = new Option<int?>("--k") { Description = "Number of clusters (or use --k-range)" };
        var kRange = new Option<string?>("--k-range") { Description = "Run every K in A..B and report inertia and sampled silhouette per K (DIR/k-range.tsv, DIR/k{K}/)" };
        var output = new Option<string>("--out") { Description = "Output directory: centroids.tsv, assignments.tsv, summary.json", Required = true };
        var columns = new Option<string?>("--columns") { Description = "Comma-separated feature columns (default: every PC1, PC2, ... column, else every column but sample_id)" };
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
        var rowsPerShard = new Option<int>("--rows-per-shard") { Description = "Rows per sample shard; results depend on it, never on the node count", DefaultValueFactory = _ => KMeansSettings.DefaultRowsPerShard };
        var command = new Command("kmeans", "Mini-batch k-means (Sculley 2010, k-means|| initialisation) of a sample table, distributed over sample shards")
        {
            input, k, kRange, output, columns, standardize, batchSize, maxSteps, tolerance, maxNoImprovement, lloydPasses, init, restarts, seed, rowsPerShard,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            int[] ks = Ks(parse.GetValue(k), parse.GetValue(kRange));
            KMeansInit initMethod = parse.GetValue(init) switch
            {
                "kmeans++" => KMeansInit.KMeansPlusPlus,
                "random" => KMeansInit.Random,
                _ => KMeansInit.KMeansParallel,
            };
            var settings = ks.Select(kk => new KMeansSettings(kk, parse.GetValue(batchSize), parse.GetValue(maxSteps), parse.GetValue(tolerance), parse.GetValue(maxNoImprovement),
                initMethod, parse.GetValue(restarts), parse.GetValue(seed), parse.GetValue(standardize), LloydPasses: parse.GetValue(lloydPasses))).ToArray();
            try
            {
                Array.ForEach(settings, s => s.Validate());
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
            }
            int perShard = parse.GetValue(rowsPerShard);
            if (perShard < 1)
            {
                throw new CliUsageException("--rows-per-shard must be at least 1");
            }
            string table = parse.GetValue(input)!;
            string directory = parse.GetValue(output)!;
            string[]? requested = parse.GetValue(columns)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            ScratchStore scratch = PcaOutput.CreateScratch(directory);
            try
            {
                SampleShardSet set = SampleTableReader.Write(table, requested, Path.Join(scratch.Directory, "shards"), perShard);
                long rows = set.Manifest.Rows;
                if (ks.Max() > rows)
                {
                    throw new CliUsageException($"--k {ks.Max()} is larger than the {rows} rows of {table}");
                }
                await using IClusterSession session = await JobExecution.StartAsync(parse, cancellationToken);
                var runs = new List<(KMeansResult Result, KMeansOutput.Context Context)>();
                await ProgressReporter.RunAsync("kmeans", async progress =>
                {
                    KMeansData data = await KMeansData.PrepareAsync(session.Executor, set, parse.GetValue(standardize), cancellationToken);
                    double[]? sample = ks.Length > 1 ? await Silhouette.SampleAsync(session.Executor, data, Silhouette.DefaultSampleSize, parse.GetValue(seed), cancellationToken) : null;
                    for (int i = 0; i < settings.Length; i++)
                    {
                        int index = i;
                        var perK = new Progress<double>(p => progress.Report((index + p) / settings.Length));
                        KMeansResult result = await MiniBatchKMeans.RunAsync(session.Executor, data, settings[i], scratch.Directory, perK, cancellationToken);
                        double? silhouette = sample is null ? null : Silhouette.Score(sample, data.Dimensions, result.Centres);
                        runs.Add((result, new KMeansOutput.Context(Path.GetFullPath(table), perShard, set.ShardCount, silhouette, sample?.Length / data.Dimensions)));
                    }
                    return 0;
                });
                if (ks.Length == 1)
                {
                    KMeansOutput.Write(runs[0].Result, runs[0].Context, directory);
                }
                else
                {
                    KMeansOutput.WriteRange(runs, directory);
                }
                Console.WriteLine($"k-means of {rows:N0} rows x {set.Columns.Count} columns ({string.Join(",", set.Columns)}) in {set.ShardCount} shards{(parse.GetValue(standardize) ? ", standardised" : "")}");
                if (ks.Length > 1)
                {
                    Console.WriteLine("k\tinertia\tsilhouette\tsteps");
                }
                foreach (var (result, context) in runs)
                {
                    KMeansRestart best = result.Restarts[result.BestRestart];
                    Console.WriteLine(ks.Length > 1
                        ? $"{result.K}\t{Format(result.Inertia)}\t{KMeansOutputFormat(context.Silhouette)}\t{best.Steps}"
                        : $"k = {result.K}: inertia {Format(result.Inertia)}, restart {best.Restart} of {result.Restarts.Count} kept ({best.Steps} steps, stopped by {best.StopReason}); cluster sizes {string.Join(", ", result.ClusterSizes)}");
                }
                Console.WriteLine(JobExecution.DescribeSpread(session, "shards"));
                Console.WriteLine($"kmeans in {clock.Elapsed.TotalSeconds:F1} s; tables in {directory}");
            }
            finally
            {
                scratch.Delete();
            }
            return CommandRunner.Ok;
        });
        return command;
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string KMeansOutputFormat(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "NA";

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
