namespace GenoFlow.Core.Storage;

/// <summary>What <see cref="ReleasePruner.Prune"/> removed.</summary>
public sealed record PruneResult(IReadOnlyList<string> PrunedReleases, int DeletedFiles, long FreedBytes);

/// <summary>
/// <c>genoflow releases prune DATASET --keep N</c>: forgets all but the newest N releases (the current one always stays)
/// and deletes the data files only the forgotten releases referenced. The history in the manifest keeps their labels
/// and counts; their <c>DATASET@LABEL</c> no longer opens. Holds the dataset's write lock, and deletes the forgotten
/// releases' manifests before their files, so a kill at any moment leaves every kept release whole.
/// </summary>
public static class ReleasePruner
{
    public static PruneResult Prune(string path, int keep)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (keep < 1)
        {
            throw new DatasetException(path, $"--keep {keep}: at least the current release is kept (give 1 or more)");
        }
        Dataset.Open(path).Dispose();
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        using DatasetLock writeLock = DatasetLock.Acquire(target, path);
        using Dataset current = Dataset.Open(target);
        IReadOnlyList<ReleaseInfo> history = current.Manifest.History;
        var pruned = new List<string>();
        foreach (ReleaseInfo release in history.Take(Math.Max(0, history.Count - keep)))
        {
            string file = ReleaseManifest.PathOf(target, release.Generation);
            if (File.Exists(file))
            {
                File.Delete(file);
                pruned.Add(release.Label);
            }
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (DatasetManifest manifest in ReleaseManifest.ReadKept(target, current.Manifest).Append(current.Manifest))
        {
            referenced.UnionWith(manifest.Files.Keys);
        }
        int deleted = 0;
        long freed = 0;
        foreach (string dir in Directory.EnumerateDirectories(target))
        {
            if (!DatasetLayout.TryParseGeneration(Path.GetFileName(dir), out _))
            {
                continue;
            }
            foreach (string file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(target, file).Replace('\\', '/');
                if (!referenced.Contains(relative))
                {
                    freed += new FileInfo(file).Length;
                    File.Delete(file);
                    deleted++;
                }
            }
            if (!Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Any())
            {
                DatasetCleanup.TryDeleteDirectory(dir);
            }
        }
        return new PruneResult(pruned, deleted, freed);
    }
}
