using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>A genoflow job process started in the background, its stdout and stderr collected while it runs.</summary>
internal sealed class RunningJob : IDisposable
{
    private readonly Process _process;

    private RunningJob(Process process)
    {
        _process = process;
        // Off the test's synchronisation context: a pipe read can hold its thread for as long as the job runs.
        StdOut = Task.Run(() => process.StandardOutput.ReadToEndAsync());
        StdErr = Task.Run(() => process.StandardError.ReadToEndAsync());
    }

    public Task<string> StdOut { get; }

    public Task<string> StdErr { get; }

    public bool HasExited => _process.HasExited;

    public static RunningJob Start(IEnumerable<string> args) => new(GenoFlowProcess.Start(args));

    /// <summary>Waits for the job to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>What the job printed, for assertion messages.</summary>
    public async Task<string> DescribeAsync() => $"--- stdout\n{await StdOut}\n--- stderr\n{await StdErr}";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
