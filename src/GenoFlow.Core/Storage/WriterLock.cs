using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GenoFlow.Core.Storage;

/// <summary>
/// One writer per target (a dataset, an output directory) at a time: an exclusive OS file lock (flock on Unix) on
/// <c>.NAME.genoflow-lock</c> beside the target, held for the whole write. The OS drops it when the process dies, so a
/// killed writer never holds it. The file records its holder for the next writer's error message. The holder deletes
/// it before letting go, so nothing stays beside the target; a writer that opened the file just before that deletion
/// would lock a file no longer at the path, so after locking each writer reads the path back and starts over unless
/// it finds its own record there.
/// </summary>
public sealed class WriterLock : IDisposable
{
    private const int Attempts = 10;
    private readonly FileStream _file;
    private readonly string _path;

    private WriterLock(FileStream file, string path)
    {
        _file = file;
        _path = path;
    }

    /// <summary>Reading the path back needs an open that .NET's own lock emulation does not refuse (Linux only).</summary>
    private static bool CanVerify => OperatingSystem.IsLinux();

    public static string LockPath(string target) =>
        Path.Join(Path.GetDirectoryName(target), "." + Path.GetFileName(target) + ".genoflow-lock");

    /// <summary>
    /// Takes the lock on <paramref name="target"/> or fails at once with <paramref name="error"/> (message, cause) naming
    /// the writer that holds it: "<paramref name="shownPath"/> is being written by process P on host H since T".
    /// </summary>
    /// <param name="what">What is written, for the message: "dataset", "output directory".</param>
    public static WriterLock Acquire(string target, string shownPath, string what, Func<string, Exception?, Exception> error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentNullException.ThrowIfNull(error);
        string path = LockPath(target);
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (File.Exists(path))
            {
                throw error($"{shownPath} is being written by {Holder(path)}; wait for it to finish (one writer per {what} at a time)", e);
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
                    return new WriterLock(file, path);
                }
            }
            catch
            {
                file.Dispose();
                throw;
            }
            file.Dispose();
        }
        throw error($"{shownPath}: could not take the write lock {path}: it kept being replaced", null);
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
    public void AbandonAsIfKilled() => _file.Dispose();

    /// <summary>The holder's record (read around .NET's own lock emulation, which refuses any open of a locked file).</summary>
    private static string Holder(string path)
    {
        string? text = DataFile.ReadSmallUnlocked(path, 300);
        string first = text?.Split('\n', 2)[0].Trim() ?? "";
        return first.Length > 0 ? first : "another process";
    }
}
