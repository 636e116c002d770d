using System.CommandLine;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Tables;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow project</c>: scores of a dataset's samples on a model `genoflow pca` wrote.</summary>
internal static class ProjectCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A `genoflow pca` output directory", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "GenoFlow dataset whose samples to score", Required = true };
        var output = new Option<string>("--out") { Description = "Output directory: scores.tsv (as pca writes it), overlap.tsv and drift.tsv", Required = true };
        var refit = new Option<string?>("--compare-refit") { Description = "A pca output directory fitted on DATASET: drift.tsv adds the |correlation| of each projected PC with the refit's" };
        var command = new Command("project", "Project samples onto a PCA model (variants matched on chrom, pos, ref, alt; swapped alleles flipped)")
        {
            model, dataset, output, refit,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            string modelDirectory = parse.GetValue(model)!;
            Projection.Model loaded = Projection.Model.Load(modelDirectory);
            // The model's own scores give the drift of the samples it was not fitted on (a pca directory always has them).
            string ownScores = Path.Join(modelDirectory, PcaOutput.ScoresFile);
            SampleTable? own = File.Exists(ownScores) ? SampleTable.Read(ownScores) : null;
            SampleTable? refitScores = parse.GetValue(refit) is { } refitDirectory ? SampleTable.Read(Path.Join(refitDirectory, PcaOutput.ScoresFile)) : null;
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            var request = new ProjectStage.Request(opened, loaded, own, refitScores);
            await StageCommand.RunAsync(parse, "project", parse.GetValue(output)!, context => ProjectStage.RunAsync(context, request), ProjectStage.Report, cancellationToken);
            return CommandRunner.Ok;
        });
        return command;
    }
}
