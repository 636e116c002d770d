namespace GenoFlow.Core.Storage;

/// <summary>
/// One writer per dataset at a time: a <see cref="WriterLock"/> on <c>.NAME.genoflow-lock</c> beside the dataset, held
/// for the whole write. Taken before any stale staging is removed, so a live writer's staging is never touched.
/// </summary>
internal sealed class DatasetLock : IDisposable
{
    private readonly WriterLock _lock;

    private DatasetLock(WriterLock writerLock) => _lock = writerLock;

    public static string LockPath(string target) => WriterLock.LockPath(target);

    /// <summary>Takes the lock or fails at once naming the writer that holds it.</summary>
    public static DatasetLock Acquire(string target, string shownPath) =>
        new(WriterLock.Acquire(target, shownPath, "dataset", (message, cause) => new DatasetException(shownPath, message, cause)));

    public void Dispose() => _lock.Dispose();

    /// <summary>What a killed holder leaves: the file stays, the OS lock goes.</summary>
    public void AbandonAsIfKilled() => _lock.AbandonAsIfKilled();
}
