namespace GenoFlow.Core.Storage;

/// <summary>
/// The kept manifests of earlier releases, <c>DATASET/releases/g{n}.manifest.json</c>: the exact bytes manifest.json
/// held while generation n was current (its own checksum still verifies). <c>DATASET@LABEL</c> and jobs that started on
/// an earlier release read them; <c>genoflow releases prune</c> deletes them with the files only they referenced.
/// </summary>
internal static class ReleaseManifest
{
    public const string DirectoryName = "releases";

    public static string PathOf(string root, int generation) =>
        Path.Join(root, DirectoryName, DatasetLayout.GenerationDirectory(generation) + ".manifest.json");

    /// <summary>The kept manifest of generation <paramref name="generation"/>, or null when it is not kept.</summary>
    public static DatasetManifest? TryRead(string root, int generation)
    {
        string path = PathOf(root, generation);
        DatasetManifest manifest;
        try
        {
            manifest = DatasetManifest.ReadFile(root, path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return manifest.Generation == generation ? manifest
            : throw new GenoFlowFormatException(path, $"holds generation {manifest.Generation}, not {generation}; the dataset is damaged");
    }

    /// <summary>Every kept earlier manifest, oldest first.</summary>
    public static IEnumerable<DatasetManifest> ReadKept(string root, DatasetManifest current) =>
        current.History.Where(r => r.Generation != current.Generation)
            .Select(r => TryRead(root, r.Generation)).OfType<DatasetManifest>();

    /// <summary>Keeps <paramref name="json"/> (a committed manifest.json) as generation <paramref name="generation"/>'s.</summary>
    public static void Keep(string root, int generation, byte[] json)
    {
        string path = PathOf(root, generation);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            file.Write(json);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
