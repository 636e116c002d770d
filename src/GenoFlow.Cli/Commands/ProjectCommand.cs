using System.CommandLine;
using GenoFlow.Analysis.Pca;
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
        var output = new Option<string>("--out") { Description = "Output directory: scores.tsv (as pca writes it) and overlap.tsv", Required = true };
        var command = new Command("project", "Project samples onto a PCA model (variants matched on chrom, pos, ref, alt; swapped alleles flipped)")
        {
            model, dataset, output,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            Projection.Model loaded = Projection.Model.Load(parse.GetValue(model)!);
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            var request = new ProjectStage.Request(opened, loaded);
            await StageCommand.RunAsync(parse, "project", parse.GetValue(output)!, context => ProjectStage.RunAsync(context, request), ProjectStage.Report, cancellationToken);
            return CommandRunner.Ok;
        });
        return command;
    }
}
