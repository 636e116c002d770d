using System.CommandLine;
using GenoFlow.Analysis.Pipelines;
using GenoFlow.Cli.CommandLine;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow run PIPELINE.yaml</c>: a pipeline file's inputs and stages into a run directory, resuming what an earlier run finished.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("PIPELINE") { Description = "Pipeline file (YAML; see README, \"Pipelines and runs\")" };
        var runDirectory = new Option<string?>("--run-dir") { Description = "Run directory: run.json, inputs/, one directory per stage (default: ./run-<pipeline file name>)" };
        var force = new Option<string[]>("--force") { Description = "Recompute this stage and every stage downstream of it even when up to date (repeatable)" };
        var command = new Command("run", "Run a pipeline file; stages whose inputs and parameters did not change since a completed run in the same run directory are not recomputed")
        {
            file, runDirectory, force,
        };
        JobExecution.AddOptions(command);
        ResultStoreOptions.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            FileInfo pipelineFile = parse.GetValue(file)!;
            PipelineDefinition pipeline = PipelineFile.Load(pipelineFile.FullName);
            string directory = parse.GetValue(runDirectory) ?? $"run-{Path.GetFileNameWithoutExtension(pipelineFile.Name)}";
            await PipelineExecution.RunAsync(parse, pipeline, directory, parse.GetValue(force) ?? [], cancellationToken);
            return CommandRunner.Ok;
        });
        return command;
    }
}
