namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// One run at a time in a run directory: an exclusive lock on <c>RUN/.lock</c>, held by the open file, so the operating
/// system releases it when the process dies (a killed run never blocks the next one).
/// </summary>
internal sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    public static RunLock Take(string runDirectory)
    {
        string path = Path.Join(runDirectory, FileName);
        try
        {
            return new RunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new IOException($"{runDirectory} is in use by another genoflow run (it holds {path}); wait for it or use another --run-dir", e);
        }
    }

    /// <summary>
    /// Removes what a killed run left: the hidden staging directories (<c>.NAME.tmp-*</c>) beside stage outputs. Safe
    /// only under the lock: no other run is using them. (Its jobs' scratch areas are collected by the next job's
    /// <see cref="Execution.ScratchRoot.CreateStore"/>.)
    /// </summary>
    public static void RemoveLeftovers(string runDirectory)
    {
        foreach (string directory in Directory.EnumerateDirectories(runDirectory, ".*", SearchOption.AllDirectories)
                     .Where(d => Path.GetFileName(d).Contains(".tmp-", StringComparison.Ordinal)).ToList())
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
