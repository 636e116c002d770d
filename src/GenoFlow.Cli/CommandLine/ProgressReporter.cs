using Spectre.Console;

namespace GenoFlow.Cli.CommandLine;

/// <summary>
/// Shows progress of long work on stderr: a Spectre.Console bar on a terminal, a plain log line every 10% otherwise
/// (CI logs, batch schedulers). Results go to stdout, so progress never mixes into them.
/// </summary>
internal static class ProgressReporter
{
    public static T Run<T>(string title, Func<IProgress<double>, T> work) =>
        RunAsync(title, progress => Task.FromResult(work(progress))).GetAwaiter().GetResult();

    public static async Task<T> RunAsync<T>(string title, Func<IProgress<double>, Task<T>> work)
    {
        if (!Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            return await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    ProgressTask task = context.AddTask(title, maxValue: 1.0);
                    T result = await work(new Progress(value => task.Value = Math.Clamp(value, 0, 1)));
                    task.Value = 1.0;
                    return result;
                });
        }
        var clock = Stopwatch.StartNew();
        T outcome = await work(LogLines(title));
        Console.Error.WriteLine($"{title}: done in {clock.Elapsed.TotalSeconds:F1} s");
        return outcome;
    }

    /// <summary>
    /// Progress as plain log lines on stderr, a line per 10% step but no more than one a second (short work logs
    /// nothing); for a phase that runs inside another's progress display, where a second bar cannot be drawn.
    /// </summary>
    public static IProgress<double> LogLines(string title)
    {
        var clock = Stopwatch.StartNew();
        int lastTenth = 0;
        TimeSpan lastLine = TimeSpan.Zero;
        return new Progress(value =>
        {
            int tenth = (int)(Math.Clamp(value, 0, 1) * 10);
            if (tenth > lastTenth && tenth < 10 && clock.Elapsed - lastLine >= TimeSpan.FromSeconds(1))
            {
                lastTenth = tenth;
                lastLine = clock.Elapsed;
                Console.Error.WriteLine($"{title}: {tenth * 10}% after {clock.Elapsed.TotalSeconds:F1} s");
            }
        });
    }

    /// <summary>Reports synchronously on the worker's thread (System.Progress would post to the thread pool out of order).</summary>
    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
