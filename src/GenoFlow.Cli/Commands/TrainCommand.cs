using System.CommandLine;
using System.Globalization;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Training;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;
using GenoFlow.Engine.Hosting;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow train</c>: a regularised linear or logistic model over sample shards, by parameter averaging or exact ridge.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "GenoFlow dataset directory" };
        var phenotypes = new Option<FileInfo>("--phenotypes") { Description = "Sample table with a header (sample_id first), e.g. simulate's phenotypes.tsv", Required = true };
        var target = new Option<string>("--target") { Description = "Column of --phenotypes to predict (0/1 for --model logistic)", Required = true };
        var model = new Option<string>("--model") { Description = "linear (squared error) or logistic (log-loss)", Required = true };
        model.AcceptOnlyFromAmong("linear", "logistic");
        var output = new Option<string>("--out") { Description = "Output directory: model.json, predictions.tsv, metrics.json", Required = true };
        var covariates = new Option<string?>("--covariates") { Description = "Comma-separated columns of --phenotypes used as features besides the genotypes" };
        var pcs = new Option<string?>("--pcs") { Description = "A `genoflow pca` (or `project`) output directory: its scores.tsv PCs are features too" };
        var keepQc = new Option<string?>("--keep-qc") { Description = "Use only the variants and samples a `genoflow qc` run kept (its --out directory)" };
        var extract = new Option<FileInfo?>("--extract") { Description = "Use only the variants whose IDs this file lists (one per line)" };
        var l1 = new Option<double?>("--l1") { Description = "L1 strength: objective (1/n) Σ loss + l1·‖w‖₁ + (l2/2)·‖w‖² on standardised features" };
        var l2 = new Option<double?>("--l2") { Description = "L2 strength (see --l1). With neither, l2 is chosen by cross-validation over 10^-3..10^2" };
        var testSamples = new Option<FileInfo?>("--test-samples") { Description = "Hold out the samples this file lists (one id per line) as the test set" };
        var testFraction = new Option<double?>("--test-fraction") { Description = "Hold out this fraction of samples (by a seeded hash of the sample id; default 0.2)" };
        var rounds = new Option<int>("--rounds") { Description = "Round limit of --aggregate average", DefaultValueFactory = _ => new TrainingSettings(TrainingModel.Linear).Rounds };
        var localEpochs = new Option<int>("--local-epochs") { Description = "Local proximal-gradient epochs per shard and round (1: every round is an exact full-batch step)", DefaultValueFactory = _ => 1 };
        var aggregate = new Option<string>("--aggregate") { Description = "average (parameter averaging, any model) or exact (Σ XᵀX and Xᵀy, linear + L2 only, at most 4,096 features)", DefaultValueFactory = _ => "average" };
        aggregate.AcceptOnlyFromAmong("average", "exact");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the test split and the step-size estimate", DefaultValueFactory = _ => 1UL };
        var tolerance = new Option<double>("--tolerance") { Description = "Stop when the parameters change by less than this, relatively, in a round", DefaultValueFactory = _ => new TrainingSettings(TrainingModel.Linear).Tolerance };
        var rowsPerShard = new Option<int>("--rows-per-shard") { Description = "Samples per sample shard (the unit of work and of cross-validation folds)", DefaultValueFactory = _ => TrainingData.DefaultRowsPerShard };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds (groups of shards; at most one per shard)", DefaultValueFactory = _ => 5 };
        var command = new Command("train", "Train a regularised linear or logistic model on genotypes + covariates (+ PCs) over sample shards")
        {
            dataset, phenotypes, target, model, output, covariates, pcs, keepQc, extract, l1, l2, testSamples, testFraction, rounds, localEpochs, aggregate, seed, tolerance,
            rowsPerShard, folds,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            double? l1Value = parse.GetValue(l1), l2Value = parse.GetValue(l2);
            var settings = new TrainingSettings(parse.GetValue(model) == "logistic" ? TrainingModel.Logistic : TrainingModel.Linear,
                parse.GetValue(aggregate) == "exact" ? Aggregation.Exact : Aggregation.Average,
                l1Value ?? (l2Value is null ? null : 0), l2Value ?? (l1Value is null ? null : 0),
                parse.GetValue(rounds), parse.GetValue(localEpochs), parse.GetValue(tolerance), parse.GetValue(seed), parse.GetValue(folds));
            try
            {
                settings.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
            }
            int shardRows = parse.GetValue(rowsPerShard);
            if (shardRows < 1)
            {
                throw new CliUsageException("--rows-per-shard must be at least 1");
            }
            TestSplit split = Split(parse.GetValue(testSamples), parse.GetValue(testFraction), settings.Seed);
            var clock = Stopwatch.StartNew();
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            string? qcDirectory = parse.GetValue(keepQc);
            var (variantKeep, sampleKeep) = PcaCommand.Filters(opened, qcDirectory, parse.GetValue(extract));
            var table = Analysis.Tables.SampleTable.Read(parse.GetValue(phenotypes)!.FullName);
            string? pcaDirectory = parse.GetValue(pcs);
            var scores = pcaDirectory is null ? null : Analysis.Tables.SampleTable.Read(Path.Join(pcaDirectory, PcaOutput.ScoresFile));
            string[] covariateNames = [.. (parse.GetValue(covariates) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            string directory = parse.GetValue(output)!;
            ScratchStore store = PcaOutput.CreateScratch(directory);
            try
            {
                TrainingData data = TrainingData.Build(opened, table, parse.GetValue(target)!, covariateNames, scores, settings.Model, split,
                    Path.Join(store.Directory, "shards"), variantKeep, sampleKeep, shardRows);
                await using IClusterSession session = await JobExecution.StartAsync(parse, cancellationToken);
                TrainingResult result = await ProgressReporter.RunAsync("train", progress => Trainer.RunAsync(session.Executor, data, settings, store, progress, cancellationToken));
                TrainingOutput.Write(result, data, split, directory, shardRows, pcaDirectory is null ? null : Path.GetFullPath(pcaDirectory));
                Console.WriteLine(Describe(result, data));
                if (settings.Aggregate == Aggregation.Average && !result.Converged)
                {
                    await Console.Error.WriteLineAsync($"genoflow: warning: the parameters did not converge to --tolerance {settings.Tolerance} within --rounds {settings.Rounds}; model.json records converged: false");
                }
                Console.WriteLine(JobExecution.DescribeSpread(session, "sample shards"));
                Console.WriteLine($"train in {clock.Elapsed.TotalSeconds:F1} s; model in {directory}");
            }
            finally
            {
                store.Delete();
            }
            return CommandRunner.Ok;
        });
        return command;
    }

    private static TestSplit Split(FileInfo? samples, double? fraction, ulong seed)
    {
        if (samples is not null && fraction is not null)
        {
            throw new CliUsageException("give --test-samples or --test-fraction, not both");
        }
        if (samples is not null)
        {
            if (!samples.Exists)
            {
                throw new CliUsageException($"--test-samples {samples.FullName}: no such file");
            }
            return new TestSplit(0, seed, File.ReadLines(samples.FullName).Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal));
        }
        double f = fraction ?? 0.2;
        if (f is < 0 or >= 1)
        {
            throw new CliUsageException($"--test-fraction must be in [0, 1); got {f.ToString(CultureInfo.InvariantCulture)}");
        }
        return new TestSplit(f, seed);
    }

    /// <summary>R² and RMSE (linear) or AUC, log-loss and accuracy (logistic), tab-separated.</summary>
    public static string Describe(TrainingModel model, TrainingMetrics metrics) => model == TrainingModel.Linear
        ? string.Create(CultureInfo.InvariantCulture, $"R² {metrics.R2:F4}\tRMSE {metrics.Rmse:G5}")
        : string.Create(CultureInfo.InvariantCulture, $"AUC {metrics.Auc:F4}\tlog-loss {metrics.LogLoss:F4}\taccuracy {metrics.Accuracy:F4}");

    private static string Describe(TrainingResult result, TrainingData data)
    {
        var lines = new List<string>
        {
            $"{result.Settings.Model.ToString().ToLowerInvariant()} model of '{data.Target}' on {data.TrainRows:N0} training samples ({data.TestRows:N0} test; {data.MissingTarget:N0} left out with a missing target, {data.NoPhenotype:N0} without a phenotype row) x {data.Parameters:N0} features",
            string.Create(CultureInfo.InvariantCulture, $"{result.Settings.Aggregate.ToString().ToLowerInvariant()}: l1 {result.L1:G4}, l2 {result.L2:G4}{(result.CrossValidation is { } cv ? $" (chosen by {cv.Folds}-fold cross-validation)" : "")}{(result.Settings.Aggregate == Aggregation.Average ? $", {result.Rounds} rounds{(result.Converged ? "" : " (not converged)")}" : "")}"),
        };
        foreach (var (name, metrics) in new[] { ("train", result.Train), ("test", result.Test) })
        {
            if (metrics is not null)
            {
                lines.Add($"{name}\t{Describe(result.Settings.Model, metrics)}");
            }
        }
        return string.Join(Environment.NewLine, lines);
    }
}
