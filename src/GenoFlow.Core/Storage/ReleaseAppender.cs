using System.Security.Cryptography;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Appends a release to a dataset (<c>genoflow import --append-to</c>). The incoming data is first imported as a
/// dataset of its own beside the target (so every input format and its checks apply unchanged), then merged into a new
/// generation that writes only the tiles the release changes and names the others from earlier generations
/// (<see cref="ReleaseBuilder"/>). The previous manifest is kept as an earlier release, and the new manifest is the
/// commit point: a process killed at any moment leaves the previous release whole, and a reader of it is never disturbed
/// (no file it reads is changed or deleted).
/// </summary>
public static class ReleaseAppender
{
    /// <summary>
    /// Appends to the dataset at <paramref name="path"/>. <paramref name="importIncoming"/> writes the release's data as a
    /// dataset at the path it is given, with the write options it is given (the target's tile sizes, the release label).
    /// </summary>
    public static ReleaseInfo Append(string path, AppendOptions options, Action<string, DatasetWriteOptions> importIncoming,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(importIncoming);
        if (ReleaseLabel.Problem(options.Release) is { } problem)
        {
            throw new DatasetException(path, problem);
        }
        Dataset.Open(path).Dispose(); // a clear error for a path that is not a dataset, before anything is locked or written
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        using DatasetLock writeLock = DatasetLock.Acquire(target, path);
        DatasetCleanup.RemoveStaleSiblings(target);
        int generation = DatasetCleanup.RemoveStaleGenerations(target) + 1;
        byte[] currentJson = BoundedFile.ReadAll(target, Path.Join(target, DatasetLayout.ManifestFileName), BoundedFile.MaxManifestBytes, "manifest");
        using Dataset current = Dataset.Open(target);
        if (current.Manifest.History.Any(r => r.Label == options.Release))
        {
            throw new DatasetException(path, $"{path} already has a release '{options.Release}'; give the new release another --release label");
        }

        string incomingPath = target + DatasetLayout.PartialSuffix + "-incoming-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        string staged = Path.Join(target, DatasetLayout.GenerationDirectory(generation) + DatasetLayout.PartialSuffix);
        try
        {
            importIncoming(incomingPath, new DatasetWriteOptions(current.Manifest.VariantsPerTile, current.Manifest.SamplesPerTile, options.Release));
            cancellationToken.ThrowIfCancellationRequested();
            using Dataset incoming = Dataset.Open(incomingPath);
            Directory.CreateDirectory(Path.Join(staged, DatasetLayout.TilesDirectoryName));
            var builder = new ReleaseBuilder(current, incoming, options, generation, staged);
            DatasetManifest manifest = builder.Build(progress, cancellationToken);

            Directory.Move(staged, Path.Join(target, DatasetLayout.GenerationDirectory(generation)));
            ReleaseManifest.Keep(target, current.Manifest.Generation, currentJson);
            DatasetCleanup.CommitManifest(target, manifest.ToSealedJson());
            return manifest.History[^1];
        }
        finally
        {
            DatasetCleanup.TryDeleteDirectory(staged);
            DatasetCleanup.TryDeleteDirectory(incomingPath);
        }
    }
}
