using System.CommandLine;
using GenoFlow.Analysis.Results;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Cli.CommandLine;

/// <summary>
/// What every analysis command does once its options are parsed: start the job's session (in-process, embedded or
/// <c>--cluster</c>), run one stage against a fresh <see cref="StageContext"/> with a progress display, then print the
/// stage's report, where its units were computed (summed over all its scatters) and how long it took.
/// </summary>
internal static class StageCommand
{
    public static async Task<TResult> RunAsync<TResult>(ParseResult parse, string title, string outputDirectory, Func<StageContext, Task<TResult>> stage,
        Func<TResult, IEnumerable<string>> report, CancellationToken cancellationToken, Func<TResult, string?>? warning = null, ResultStoreSettings? resultStore = null)
    {
        var clock = Stopwatch.StartNew();
        await using JobSession session = await JobExecution.StartAsync(parse, outputDirectory, cancellationToken);
        StageStatistics? statistics = null;
        TResult result;
        try
        {
            result = await ProgressReporter.RunAsync(title, async progress =>
            {
                using var context = new StageContext(session.Executor, outputDirectory, resultStore, progress, cancellationToken);
                statistics = context.Statistics;
                return await context.RunAsync(stage);
            });
        }
        finally
        {
            JobExecution.RemoveEmptyEmbeddedScratch(outputDirectory);
        }
        if (warning?.Invoke(result) is { } text)
        {
            await Console.Error.WriteLineAsync($"genoflow: warning: {text}");
        }
        foreach (string line in report(result))
        {
            Console.WriteLine(line);
        }
        Console.WriteLine(statistics!.Describe());
        Console.WriteLine($"{title} in {clock.Elapsed.TotalSeconds:F1} s; output in {Path.GetFullPath(outputDirectory)}");
        return result;
    }
}
