namespace GenoFlow.Analysis.Releases;

/// <summary>
/// Starts a release's run directory as a copy of the previous release's completed one, so the new run is incremental:
/// steps whose inputs did not change stay up to date, and a pca stage with <c>warm-start: true</c> refits from the
/// previous release's model. Copied into a hidden sibling and renamed, so a crash leaves either no run directory or a
/// whole copy (the next pass removes a half-made one).
/// </summary>
internal static class RunSeed
{
    public static void CopyIfAbsent(string previous, string target)
    {
        if (Directory.Exists(target) || !Directory.Exists(previous))
        {
            return;
        }
        string staging = Path.Join(Path.GetDirectoryName(target), "." + Path.GetFileName(target) + ".seed");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
        foreach (string file in Directory.EnumerateFiles(previous, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(previous, file);
            if (relative == Pipelines.RunLock.FileName)
            {
                continue;
            }
            string copy = Path.Join(staging, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        Directory.CreateDirectory(staging);
        Directory.Move(staging, target);
    }
}
