using System.Text.Json;

namespace GenoFlow.Core.Storage;

/// <summary>
/// What writers of a dataset (a new import, a replacement, an appended release, a prune) do to its files outside the
/// data they write: remove dead writers' leftovers, write small files durably, and delete without failing the write.
/// Always called with the dataset's write lock held (<see cref="DatasetLock"/>), so a live writer's files are never touched.
/// </summary>
internal static class DatasetCleanup
{
    /// <summary>Removes <c>TARGET.partial-*</c> siblings left by a killed writer.</summary>
    public static void RemoveStaleSiblings(string target)
    {
        string parent = Path.GetDirectoryName(target)!;
        string prefix = Path.GetFileName(target) + DatasetLayout.PartialSuffix + "-";
        foreach (string dir in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            TryDeleteDirectory(dir);
        }
    }

    /// <summary>
    /// Inside an existing dataset, removes a killed writer's leftovers: <c>g*.partial</c>, <c>manifest.json.tmp</c>,
    /// generations that neither the manifest nor a kept earlier release references, and kept manifests of releases the
    /// history no longer lists (a replaced dataset's). Returns the highest generation number remaining.
    /// </summary>
    public static int RemoveStaleGenerations(string target)
    {
        DatasetManifest? current = ReadCommitted(target);
        TryDeleteFile(Path.Join(target, DatasetLayout.ManifestTempFileName));
        HashSet<string>? referenced = current is null ? null : ReferencedGenerations(target, current);
        int highest = current?.Generation ?? 0;
        foreach (string dir in Directory.EnumerateDirectories(target))
        {
            string name = Path.GetFileName(dir);
            if (name.EndsWith(DatasetLayout.PartialSuffix, StringComparison.Ordinal)
                && DatasetLayout.TryParseGeneration(name[..^DatasetLayout.PartialSuffix.Length], out _))
            {
                TryDeleteDirectory(dir);
            }
            else if (DatasetLayout.TryParseGeneration(name, out int generation))
            {
                if (referenced is not null && !referenced.Contains(name))
                {
                    TryDeleteDirectory(dir);
                }
                else
                {
                    highest = Math.Max(highest, generation);
                }
            }
        }
        if (current is not null)
        {
            RemoveUnlistedReleaseManifests(target, current);
        }
        return highest;
    }

    /// <summary>The generation directories ("g{n}") whose files the manifest or a kept earlier release names.</summary>
    public static HashSet<string> ReferencedGenerations(string target, DatasetManifest current)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (DatasetManifest manifest in ReleaseManifest.ReadKept(target, current).Append(current))
        {
            foreach (string file in manifest.Files.Keys)
            {
                names.Add(file[..file.IndexOf('/', StringComparison.Ordinal)]);
            }
        }
        return names;
    }

    public static void WriteDurably(string path, byte[] contents)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        file.Write(contents);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Commits <paramref name="json"/> as the dataset's manifest: written durably beside it, then renamed over it.</summary>
    public static void CommitManifest(string target, byte[] json)
    {
        string temp = Path.Join(target, DatasetLayout.ManifestTempFileName);
        WriteDurably(temp, json);
        File.Move(temp, Path.Join(target, DatasetLayout.ManifestFileName), overwrite: true);
    }

    /// <summary>
    /// Deletes staged or stale output. A failure is swallowed: the leftover is named <c>*.partial*</c> or is an
    /// unreferenced generation, never read as data, and the next write to the target removes it.
    /// </summary>
    public static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Debug.WriteLine($"could not delete {path}: {e.Message}");
        }
    }

    public static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Debug.WriteLine($"could not delete {path}: {e.Message}");
        }
    }

    /// <summary>The committed manifest, or null when it cannot be read (then no generation is deleted).</summary>
    public static DatasetManifest? ReadCommitted(string target)
    {
        string path = Path.Join(target, DatasetLayout.ManifestFileName);
        try
        {
            return DatasetManifest.ReadFile(target, path);
        }
        catch (Exception e) when (e is GenoFlowFormatException or IOException or JsonException)
        {
            return null;
        }
    }

    private static void RemoveUnlistedReleaseManifests(string target, DatasetManifest current)
    {
        string directory = Path.Join(target, ReleaseManifest.DirectoryName);
        if (!Directory.Exists(directory))
        {
            return;
        }
        var listed = current.History.Select(r => Path.GetFileName(ReleaseManifest.PathOf(target, r.Generation))).ToHashSet(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(directory))
        {
            if (!listed.Contains(Path.GetFileName(file)))
            {
                TryDeleteFile(file);
            }
        }
    }
}
