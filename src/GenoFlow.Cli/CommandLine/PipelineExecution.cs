using System.CommandLine;
using GenoFlow.Analysis.Pipelines;

namespace GenoFlow.Cli.CommandLine;

/// <summary>What <c>run</c> and <c>pipeline</c> share: a validated pipeline run on the job's cluster session, with a closing line.</summary>
internal static class PipelineExecution
{
    /// <summary>Runs <paramref name="pipeline"/> on the job's cluster session and prints a closing line.</summary>
    public static async Task RunAsync(ParseResult parse, PipelineDefinition pipeline, string runDirectory, IReadOnlyList<string> force, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        PipelineRunner.Validate(pipeline);
        await using JobSession session = await JobExecution.StartAsync(parse, runDirectory, cancellationToken);
        var runner = new PipelineRunner(pipeline, runDirectory, session.Executor, new ConsolePipelineLog());
        RunRecord record;
        try
        {
            record = await runner.RunAsync(new PipelineRunOptions(force, ResultStoreOptions.SettingsOf(parse)), cancellationToken);
        }
        finally
        {
            JobExecution.RemoveEmptyEmbeddedScratch(runDirectory);
        }
        int computed = record.Steps.Count(s => s.State == StepRecord.Done);
        int upToDate = record.Steps.Count(s => s.State == StepRecord.UpToDate);
        Console.WriteLine($"run finished in {clock.Elapsed.TotalSeconds:F1} s: {computed} steps computed, {upToDate} up to date; run record in {Path.Join(Path.GetFullPath(runDirectory), RunRecord.FileName)}");
    }
}
