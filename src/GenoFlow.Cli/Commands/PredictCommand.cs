using System.CommandLine;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Training;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;

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
        var features = new Option<string[]>("--features") { Description = "TABLE (repeatable): the per-sample feature tables holding the model's --features columns (found by name)" };
        var command = new Command("predict", "Score samples with a trained model (variants matched on chrom:pos:ref:alt; swapped alleles flipped)")
        {
            model, dataset, phenotypes, pcs, output, rowsPerShard, features,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            ModelFile loaded = ModelFile.Load(parse.GetValue(model)!);
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            SampleTable? table = parse.GetValue(phenotypes) is { } file ? SampleTable.Read(file.FullName) : null;
            SampleTable? scores = parse.GetValue(pcs) is { } pcaDirectory ? SampleTable.Read(Path.Join(pcaDirectory, PcaOutput.ScoresFile)) : null;
            var request = new PredictStage.Request(opened, loaded, table, scores, parse.GetValue(rowsPerShard), [.. (parse.GetValue(features) ?? []).Select(f => FeatureTable.Parse(f).Table)]);
            await StageCommand.RunAsync(parse, "predict", parse.GetValue(output)!, context => PredictStage.RunAsync(context, request), PredictStage.Report, cancellationToken);
            return CommandRunner.Ok;
        });
        return command;
    }
}
