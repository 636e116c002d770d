namespace GenoFlow.Analysis.Execution;

/// <summary>How every executor runs one operation on one tile of its node's cache.</summary>
public static class TileOperationRunner
{
    /// <param name="cancellation">
    /// The job's: checked before each tile is loaded (the tile and any neighbour) and before the operation runs, so a
    /// cancelled job's queued requests cost nothing and a running one stops before its next load. An operation that
    /// is handed the token too, and the long ones (QC counts, LD pairs, PCA products) stop mid-tile, per chunk of variants.
    /// </param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public static byte[] Run(ITileOperation operation, TileCache cache, DatasetRef dataset, TileId id, ReadOnlySpan<byte> input, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(dataset);
        cancellation.ThrowIfCancellationRequested();
        if (operation is ISinglePassTileOperation)
        {
            using TileLease lease = cache.Borrow(dataset, id);
            cancellation.ThrowIfCancellationRequested();
            return operation.Run(lease.Tile, input, cancellation);
        }
        Tile tile = cache.Get(dataset, id);
        cancellation.ThrowIfCancellationRequested();
        return operation is INeighbourTileOperation neighbours
            ? neighbours.Run(tile, input, other => Load(cache, dataset, other, cancellation), cancellation)
            : operation.Run(tile, input, cancellation);
    }

    private static Tile Load(TileCache cache, DatasetRef dataset, TileId id, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        return cache.Get(dataset, id);
    }
}
