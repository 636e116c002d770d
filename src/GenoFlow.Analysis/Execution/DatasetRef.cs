using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// Names one exact version of a dataset: its directory (on a filesystem every node sees) and the checksum of its
/// manifest, so a node never computes on a dataset that was replaced since the job started.
/// </summary>
public sealed record DatasetRef(string Path, string ManifestChecksum)
{
    public static DatasetRef Of(Dataset dataset) =>
        new(dataset.Path, dataset.Manifest.ManifestXxh3 ?? throw new InvalidOperationException($"{dataset.Path}: manifest has no checksum"));
}
