using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Output;

/// <summary>
/// The one way a stage publishes its output directory (under the directory's <see cref="Lock"/>, which its
/// <see cref="Stages.StageContext"/> holds): every file is written into a hidden staging directory beside
/// the target, on the same filesystem, and only then moved into place, so a failed or killed stage leaves the target as
/// it was and a reader never sees half-written files.
/// <list type="bullet">
/// <item>A new target is a single rename of the staging directory.</item>
/// <item>An existing target (a rerun) keeps files the stage does not write (a user's own files are never deleted):
/// its commit file, when the stage has one, is removed first and moved back last, so a reader that trusts the commit
/// file (as <c>--keep-qc</c> trusts qc_filter.json) never pairs it with the files of another run; each file and
/// subdirectory the stage wrote replaces the one of the same name; names in <c>obsolete</c> (outputs of another mode of
/// the same stage, e.g. the TSV tables after a Parquet run) are deleted.</item>
/// </list>
/// </summary>
public static class OutputDirectory
{
    public static void Publish(string directory, Action<string> write, string? commitFile = null, IReadOnlyCollection<string>? obsolete = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(write);
        string target = FullPath(directory);
        if (File.Exists(target))
        {
            throw new IOException($"{directory} is a file; output goes into a directory");
        }
        string staging = Sibling(target, "tmp");
        Directory.CreateDirectory(staging);
        try
        {
            write(staging);
            if (!Directory.Exists(target))
            {
                Directory.Move(staging, target);
                return;
            }
            if (commitFile is not null)
            {
                File.Delete(Path.Join(target, commitFile));
            }
            foreach (string name in obsolete ?? [])
            {
                Remove(Path.Join(target, name));
            }
            foreach (string entry in Directory.GetFileSystemEntries(staging).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(entry);
                if (name != commitFile)
                {
                    MoveInto(entry, Path.Join(target, name));
                }
            }
            if (commitFile is not null && File.Exists(Path.Join(staging, commitFile)))
            {
                File.Move(Path.Join(staging, commitFile), Path.Join(target, commitFile));
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>
    /// Takes the one-writer lock of <paramref name="directory"/> (the OS lock datasets use, on
    /// <c>.NAME.genoflow-lock</c> beside it), held by a stage for its whole run. A second writer fails at once with
    /// "DIR is being written by process P on host H since T"; the lock of a killed writer is taken over.
    /// </summary>
    /// <exception cref="DatasetException">Another live process is writing <paramref name="directory"/>.</exception>
    public static DatasetLock Lock(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string target = FullPath(directory);
        string parent = Path.GetDirectoryName(target) ?? throw new IOException($"{target} cannot hold output (a filesystem root)");
        Directory.CreateDirectory(parent);
        return DatasetLock.Acquire(Path.Join(parent, $".{Path.GetFileName(target)}.genoflow-lock"), target, "written", "one writer per output directory at a time");
    }

    private static string FullPath(string directory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));

    private static string Sibling(string target, string purpose)
    {
        string parent = Path.GetDirectoryName(target) ?? throw new IOException($"{target} cannot hold output (a filesystem root)");
        Directory.CreateDirectory(parent);
        return Path.Join(parent, $".{Path.GetFileName(target)}.{purpose}-{Guid.NewGuid():N}");
    }

    private static void MoveInto(string source, string destination)
    {
        if (File.Exists(source))
        {
            if (Directory.Exists(destination))
            {
                Directory.Delete(destination, recursive: true);
            }
            File.Move(source, destination, overwrite: true);
            return;
        }
        Remove(destination);
        Directory.Move(source, destination);
    }

    private static void Remove(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }
}
