using GenoFlow.Analysis.Execution;

namespace GenoFlow.Cli.CommandLine;

/// <summary>The executor a command's jobs run on, and the cluster session behind it (if any), left when the command is done.</summary>
internal sealed class JobSession(IJobExecutor executor, IAsyncDisposable? cluster = null) : IAsyncDisposable
{
    public IJobExecutor Executor { get; } = executor;

    public ValueTask DisposeAsync() => cluster?.DisposeAsync() ?? ValueTask.CompletedTask;
}
