namespace GenoFlow.Analysis.Execution;

/// <summary>
/// A tile operation that also reads other tiles of the same dataset and sample block, e.g. the head of the next region
/// for windows that cross a region boundary. The executor hands it a loader backed by the node's <see cref="TileCache"/>,
/// so the extra rows come from the store on the node that runs the operation, never through messages. Still a pure
/// function of (tile, input): the dataset version is pinned by the job's <see cref="DatasetRef"/>.
/// </summary>
public interface INeighbourTileOperation : ITileOperation
{
    /// <param name="cancellation">The job's: checked per chunk of variants (see <see cref="ITileOperation.Run(Tile, ReadOnlySpan{byte}, CancellationToken)"/>).</param>
    byte[] Run(Tile tile, ReadOnlySpan<byte> input, Func<TileId, Tile> loadTile, CancellationToken cancellation);
}
