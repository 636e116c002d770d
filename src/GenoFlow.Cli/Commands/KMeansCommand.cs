using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using GenoFlow.Analysis.Execution;
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
            if (!File.Exists(table))
            {
                throw new CliUsageException($"--input {table}: no such file");
            }
            string directory = parse.GetValue(output)!;
            string[]? requested = parse.GetValue(columns)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            await using IClusterSession session = await JobExecution.StartAsync(parse, cancellationToken);
            await RunAsync(session, table, requested, settings, perShard, directory, cancellationToken);
            Console.WriteLine($"kmeans in {clock.Elapsed.TotalSeconds:F1} s");
            return CommandRunner.Ok;
        });
        return command;
    }

    /// <summary>
    /// The job behind the command (and the pipeline's stage): the table into sample shards in a scratch directory beside
    /// <paramref name="directory"/>, one run per K, the output files and a report. One setting gives the three files;
    /// several (a K range) add the silhouette and k-range.tsv.
    /// </summary>
    public static async Task<IReadOnlyList<KMeansResult>> RunAsync(IClusterSession session, string table, IReadOnlyList<string>? columns, IReadOnlyList<KMeansSettings> settings,
        int rowsPerShard, string directory, CancellationToken cancellationToken)
    {
        ScratchStore scratch = PcaOutput.CreateScratch(directory);
        try
        {
            SampleShardSet set = Analysis.Tables.SampleTable.Read(table).WriteShards(columns, Path.Join(scratch.Directory, "shards"), rowsPerShard);
            long rows = set.Manifest.Rows;
            int largest = settings.Max(s => s.K);
            if (largest > rows)
            {
                throw new CliUsageException($"--k {largest} is larger than the {rows} rows of {table}");
            }
            bool range = settings.Count > 1;
            bool standardize = settings[0].Standardize;
            var runs = new List<(KMeansResult Result, KMeansOutput.Context Context)>();
            await ProgressReporter.RunAsync("kmeans", async progress =>
            {
                KMeansData data = await KMeansData.PrepareAsync(session.Executor, set, standardize, cancellationToken);
                double[]? sample = range ? await Silhouette.SampleAsync(session.Executor, data, Silhouette.DefaultSampleSize, settings[0].Seed, cancellationToken) : null;
                for (int i = 0; i < settings.Count; i++)
                {
                    int index = i;
                    var perK = new Progress<double>(p => progress.Report((index + p) / settings.Count));
                    KMeansResult result = await MiniBatchKMeans.RunAsync(session.Executor, data, settings[i], scratch.Directory, perK, cancellationToken);
                    double? silhouette = sample is null ? null : Silhouette.Score(sample, data.Dimensions, result.Centres);
                    runs.Add((result, new KMeansOutput.Context(Path.GetFullPath(table), rowsPerShard, set.ShardCount, silhouette, sample?.Length / data.Dimensions)));
                }
                return 0;
            });
            if (range)
            {
                KMeansOutput.WriteRange(runs, directory);
            }
            else
            {
                KMeansOutput.Write(runs[0].Result, runs[0].Context, directory);
            }
            Console.WriteLine($"k-means of {rows:N0} rows x {set.Columns.Count} columns ({string.Join(",", set.Columns)}) in {set.ShardCount} shards{(standardize ? ", standardised" : "")}");
            if (range)
            {
                Console.WriteLine("k\tinertia\tsilhouette\tsteps");
            }
            foreach (var (result, context) in runs)
            {
                KMeansRestart best = result.Restarts[result.BestRestart];
                Console.WriteLine(range
                    ? $"{result.K}\t{Format(result.Inertia)}\t{KMeansOutputFormat(context.Silhouette)}\t{best.Steps}"
                    : $"k = {result.K}: inertia {Format(result.Inertia)}, restart {best.Restart} of {result.Restarts.Count} kept ({best.Steps} steps, stopped by {best.StopReason}); cluster sizes {string.Join(", ", result.ClusterSizes)}");
            }
            Console.WriteLine(JobExecution.DescribeSpread(session, "shards"));
            Console.WriteLine($"tables in {directory}");
            return runs.Select(r => r.Result).ToArray();
        }
        finally
        {
            scratch.Delete();
        }
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
