using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GenoFlow.Core.Storage;

/// <summary>
/// One writer per dataset at a time: an exclusive OS file lock (flock on Unix) on <c>.NAME.genoflow-lock</c> beside the
/// dataset, held for the whole write. The OS drops it when the process dies, so a killed writer never holds it. The
/// file records its holder for the next writer's error message. The holder deletes it before letting go, so nothing
/// stays beside the dataset; a writer that opened the file just before that deletion would lock a file no longer at
/// the path, so after locking each writer reads the path back and starts over unless it finds its own record there.
/// Taken before any stale staging is removed, so a live writer's staging is never touched.
/// </summary>
public sealed class DatasetLock : IDisposable
{
    private const int Attempts = 10;
    private readonly FileStream _file;
    private readonly string _path;

    private DatasetLock(FileStream file, string path)
    {
        _file = file;
        _path = path;
    }

    /// <summary>Reading the path back needs an open that .NET's own lock emulation does not refuse (Linux only).</summary>
    private static bool CanVerify => OperatingSystem.IsLinux();

    internal static string LockPath(string target) =>
        Path.Join(Path.GetDirectoryName(target), "." + Path.GetFileName(target) + ".genoflow-lock");

    /// <summary>Takes the lock or fails at once naming the writer that holds it.</summary>
    public static DatasetLock Acquire(string target, string shownPath) => Acquire(LockPath(target), shownPath, "written", "one writer per dataset at a time");

    /// <summary>
    /// The same kind of lock on <paramref name="path"/> for another exclusive activity (e.g. watching a dataset for
    /// releases): fails at once with "SHOWN is being ACTIVITY by process P on host H since T; wait for it to finish (RULE)".
    /// </summary>
    public static DatasetLock Acquire(string path, string shownPath, string activity, string rule)
    {
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (File.Exists(path))
            {
                throw new DatasetException(shownPath, $"{shownPath} is being {activity} by {Holder(path)}; wait for it to finish ({rule})", e);
            }
            string record = string.Create(CultureInfo.InvariantCulture,
                $"process {Environment.ProcessId} on host {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC\n{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
            try
            {
                file.SetLength(0);
                file.Write(Encoding.UTF8.GetBytes(record));
                file.Flush();
                if (!CanVerify || DataFile.ReadSmallUnlocked(path, 300) == record)
                {
                    return new DatasetLock(file, path);
                }
            }
            catch
            {
                file.Dispose();
                throw;
            }
            file.Dispose();
        }
        throw new DatasetException(shownPath, $"{shownPath}: could not take the write lock {path}: it kept being replaced");
    }

    /// <summary>Deletes the lock file while still holding it (where the next writer can check), then lets go.</summary>
    public void Dispose()
    {
        if (CanVerify)
        {
            try
            {
                File.Delete(_path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left behind, it is harmless: the next writer locks and reuses it.
            }
        }
        _file.Dispose();
    }

    /// <summary>What a killed holder leaves: the file stays, the OS lock goes.</summary>
    internal void AbandonAsIfKilled() => _file.Dispose();

    /// <summary>The holder's record (read around .NET's own lock emulation, which refuses any open of a locked file).</summary>
    private static string Holder(string path)
    {
        string? text = DataFile.ReadSmallUnlocked(path, 300);
        string first = text?.Split('\n', 2)[0].Trim() ?? "";
        return first.Length > 0 ? first : "another process";
    }
}
