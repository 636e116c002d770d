namespace GenoFlow.Core.Storage;

/// <summary>
/// Runs Parquet.Net's async-only API from the synchronous store API. Library code has no synchronization context,
/// so blocking on a task cannot deadlock here; the work is file I/O and CPU on pool threads.
/// </summary>
internal static class Sync
{
    public static void Run(Func<Task> work) => work().GetAwaiter().GetResult();

    public static T Run<T>(Func<Task<T>> work) => work().GetAwaiter().GetResult();
}
