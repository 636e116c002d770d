namespace GenoFlow.Cli.Tests;

/// <summary>
/// Files that a test class makes once and its tests only read (simulated cohorts, a dataset), as a class fixture: made by
/// <see cref="InitializeAsync"/> in a temporary directory of their own, removed after the class's last test.
/// </summary>
public abstract class SharedFiles : IAsyncLifetime, IDisposable
{
    internal TempDirectory Dir { get; } = new();

    public abstract Task InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
