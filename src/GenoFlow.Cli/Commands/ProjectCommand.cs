using System.CommandLine;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Pca;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;
using GenoFlow.Engine.Hosting;

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
            var clock = Stopwatch.StartNew();
            Projection.Model loaded = Projection.Model.Load(parse.GetValue(model)!);
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            string directory = parse.GetValue(output)!;
            ScratchStore store = PcaOutput.CreateScratch(directory);
            try
            {
                await using IClusterSession session = await JobExecution.StartAsync(parse, cancellationToken);
                Projection.Result result = await ProgressReporter.RunAsync("project", _ => Projection.RunAsync(session.Executor, opened, loaded, store, cancellationToken));
                Projection.Write(result, opened, directory);
                Console.WriteLine($"{result.Matched:N0} of the model's {result.ModelVariants:N0} variants found ({result.Flipped:N0} with swapped alleles); {opened.SampleCount:N0} samples scored on {result.K} PCs");
                Console.WriteLine(JobExecution.DescribeSpread(session));
                Console.WriteLine($"project in {clock.Elapsed.TotalSeconds:F1} s; scores in {directory}");
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
