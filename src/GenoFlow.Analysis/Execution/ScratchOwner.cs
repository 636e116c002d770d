using System.Globalization;
using System.Text;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// The owner marker of a job's scratch area: <c>AREA/.owner</c>, held open with an exclusive OS lock (flock on Unix)
/// for the job's life and naming its process, host and start. The OS drops the lock when the process dies, so a
/// collector on the same host that can take the lock knows the owner is dead. The marker is locked under a temporary
/// name and renamed into place, so a collector never finds an unlocked marker of a live job. Locks are not trusted
/// across hosts (a network filesystem may not share them): an area owned on another host is collected by age only.
/// </summary>
internal sealed class ScratchOwner : IDisposable
{
    public const string FileName = ".owner";

    private readonly FileStream _file;

    private ScratchOwner(FileStream file) => _file = file;

    /// <summary>Marks <paramref name="area"/> as owned by this process until <see cref="Dispose"/> (or the process's death).</summary>
    public static ScratchOwner Take(string area)
    {
        string temporary = Path.Join(area, $"{FileName}.tmp-{Guid.NewGuid():N}");
        var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            file.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{Environment.MachineName}\n{Environment.ProcessId}\n{DateTime.UtcNow:O}\n")));
            file.Flush();
            File.Move(temporary, Path.Join(area, FileName));
            return new ScratchOwner(file);
        }
        catch
        {
            file.Dispose();
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Whether the area's owner is known to be gone: its marker names this host and nobody holds its lock. False when
    /// the marker is missing, names another host, or is held.
    /// </summary>
    public static bool IsDeadOnThisHost(string area)
    {
        string marker = Path.Join(area, FileName);
        try
        {
            using var file = new FileStream(marker, FileMode.Open, FileAccess.Read, FileShare.None);
            using var reader = new StreamReader(file, Encoding.UTF8);
            return reader.ReadLine() == Environment.MachineName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Held by a live owner, missing, or not ours to judge.
            return false;
        }
    }

    public void Dispose() => _file.Dispose();
}
