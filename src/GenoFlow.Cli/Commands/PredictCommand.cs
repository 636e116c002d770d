using System.CommandLine;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Training;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;
using GenoFlow.Engine.Hosting;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow predict</c>: scores a dataset's samples with a model `genoflow train` wrote.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A `genoflow train` output directory", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "GenoFlow dataset whose samples to score", Required = true };
        var phenotypes = new Option<FileInfo?>("--phenotypes") { Description = "Sample table with the model's covariates (and its target, for metrics.json)" };
        var pcs = new Option<string?>("--pcs") { Description = "For a model with PCs: a `genoflow project` (or `pca`) output directory with the samples' scores.tsv" };
        var output = new Option<string>("--out") { Description = "Output directory: predictions.tsv (and metrics.json when --phenotypes has the target)", Required = true };
        var rowsPerShard = new Option<int>("--rows-per-shard") { Description = "Samples per sample shard", DefaultValueFactory = _ => TrainingData.DefaultRowsPerShard };
        var command = new Command("predict", "Score samples with a trained model (variants matched on chrom:pos:ref:alt; swapped alleles flipped)")
        {
            model, dataset, phenotypes, pcs, output, rowsPerShard,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            ModelFile loaded = ModelFile.Load(parse.GetValue(model)!);
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            var table = parse.GetValue(phenotypes) is { } file ? Analysis.Tables.SampleTable.Read(file.FullName) : null;
            var scores = parse.GetValue(pcs) is { } pcaDirectory ? Analysis.Tables.SampleTable.Read(Path.Join(pcaDirectory, PcaOutput.ScoresFile)) : null;
            int shardRows = parse.GetValue(rowsPerShard);
            if (shardRows < 1)
            {
                throw new CliUsageException("--rows-per-shard must be at least 1");
            }
            string directory = parse.GetValue(output)!;
            var store = PcaOutput.CreateScratch(directory);
            try
            {
                await using IClusterSession session = await JobExecution.StartAsync(parse, cancellationToken);
                Prediction.Result result = await ProgressReporter.RunAsync("predict", _ => Prediction.RunAsync(session.Executor, opened, loaded, table, scores, store, shardRows, cancellationToken));
                Prediction.Write(result, loaded, directory);
                Console.WriteLine($"{result.Matched:N0} of the model's {result.ModelVariants:N0} variants found ({result.Flipped:N0} with swapped alleles); {opened.SampleCount:N0} samples scored");
                if (result.Metrics is { } m)
                {
                    Console.WriteLine($"{m.Samples:N0} samples with '{loaded.Target}'\t{TrainCommand.Describe(loaded.Model, m)}");
                }
                Console.WriteLine(JobExecution.DescribeSpread(session, "sample shards"));
                Console.WriteLine($"predict in {clock.Elapsed.TotalSeconds:F1} s; predictions in {directory}");
            }
            finally
            {
                store.Delete();
            }
            return CommandRunner.Ok;
        });
        return command;
    }
}
