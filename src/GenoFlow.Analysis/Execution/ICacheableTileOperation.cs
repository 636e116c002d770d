using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// A tile operation whose partial results the result store may keep: its bytes are a pure function of the bytes of the
/// tiles it reads and of its input, so a stored partial under the same key is the partial a fresh run would return.
/// Operations whose input changes on every pass (PCA products, k-means steps) gain nothing from a store and do not
/// implement this.
/// </summary>
public interface ICacheableTileOperation : ITileOperation
{
    /// <summary>Raised whenever the algorithm changes what <see cref="ITileOperation.Run"/> returns: old stored partials then stop matching.</summary>
    int ResultVersion { get; }

    /// <summary>
    /// Every tile whose bytes the partial of <paramref name="tile"/> with <paramref name="input"/> depends on, the tile
    /// itself first: a stored partial is keyed on all of their checksums.
    /// </summary>
    IReadOnlyList<TileId> TilesRead(TileId tile, ReadOnlySpan<byte> input, DatasetManifest manifest);
}
