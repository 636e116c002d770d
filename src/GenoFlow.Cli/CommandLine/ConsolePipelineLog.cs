using GenoFlow.Analysis.Pipelines;

namespace GenoFlow.Cli.CommandLine;

/// <summary>A pipeline run's log on the console: its lines on stdout, warnings and progress on stderr.</summary>
internal sealed class ConsolePipelineLog : IPipelineLog
{
    public void Line(string text) => Console.WriteLine(text);

    public void Warning(string text) => Console.Error.WriteLine($"genoflow: warning: {text}");

    public void WithProgress(string title, Action<IProgress<double>> work) => ProgressReporter.Run(title, progress =>
    {
        work(progress);
        return 0;
    });

    public Task<T> WithProgressAsync<T>(string title, Func<IProgress<double>, Task<T>> work) => ProgressReporter.RunAsync(title, work);
}
