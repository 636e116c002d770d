using GenoFlow.Analysis.Execution;

namespace GenoFlow.Analysis.Results;

/// <summary>
/// Whether jobs keep per-tile partial results, where and how many bytes of them. The default store sits beside each
/// dataset (<c>DATASET.results/</c>), so successive releases of one dataset share it; <see cref="Directory"/> names one
/// store for every dataset instead (keys are content checksums, so datasets with equal tiles share entries).
/// </summary>
public sealed record ResultStoreSettings
{
    /// <summary>
    /// 1 GiB. A QC partial is 12 bytes per variant and 24 per sample of its tile (16 MB for all tiles of a 22,000 x
    /// 50,000 dataset); an LD partial 24 bytes per pair, about 0.6 of the tile's own size with a 50-variant window
    /// (176 MB for the same dataset). Biobank-sized LD needs a larger store.
    /// </summary>
    public const long DefaultCapacityBytes = 1L << 30;

    public const string BesideDatasetSuffix = ".results";

    public static ResultStoreSettings Default { get; } = new();

    public static ResultStoreSettings Off { get; } = new() { Enabled = false };

    public bool Enabled { get; init; } = true;

    /// <summary>The store's directory; null for <c>DATASET.results</c> beside each job's dataset.</summary>
    public string? Directory { get; init; }

    public long CapacityBytes { get; init; } = DefaultCapacityBytes;

    public string DirectoryFor(DatasetRef dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Directory is { } directory
            ? Path.GetFullPath(directory)
            : Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataset.Path)) + BesideDatasetSuffix;
    }
}
