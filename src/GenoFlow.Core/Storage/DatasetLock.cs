using System.Globalization;
using System.Text;

namespace GenoFlow.Core.Storage;

/// <summary>
/// One writer per dataset at a time: an exclusive OS file lock (flock on Unix) on <c>.NAME.genoflow-lock</c> beside the
/// dataset, held for the whole write. The OS drops it when the process dies, so a killed writer never holds it. The
/// file records its holder for the next writer's error message and stays after the write: deleting it would let a
/// writer that opened it just before lock a file no longer at the path while another locks a new one. Taken before any
/// stale staging is removed, so a live writer's staging is never touched.
/// </summary>
internal sealed class DatasetLock : IDisposable
{
    private readonly FileStream _file;

    private DatasetLock(FileStream file) => _file = file;

    public static string LockPath(string target) =>
        Path.Join(Path.GetDirectoryName(target), "." + Path.GetFileName(target) + ".genoflow-lock");

    /// <summary>Takes the lock or fails at once naming the writer that holds it.</summary>
    public static DatasetLock Acquire(string target, string shownPath)
    {
        string path = LockPath(target);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new DatasetException(shownPath, $"{shownPath} is being written by {Holder(path)}; wait for it to finish (one writer per dataset at a time)", e);
        }
        try
        {
            string record = string.Create(CultureInfo.InvariantCulture, $"process {Environment.ProcessId} on host {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
            file.SetLength(0);
            file.Write(Encoding.UTF8.GetBytes(record));
            file.Flush();
            return new DatasetLock(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>The holder's record (read around .NET's own lock emulation, which refuses any open of a locked file).</summary>
    private static string Holder(string path)
    {
        string? text = DataFile.ReadSmallUnlocked(path, 300);
        return text is { Length: > 0 } ? text.Trim() : "another process";
    }
}
