namespace GenoFlow.Analysis.Execution;

/// <summary>How every executor runs one operation on one tile of its node's cache.</summary>
public static class TileOperationRunner
{
    public static byte[] Run(ITileOperation operation, TileCache cache, DatasetRef dataset, TileId id, ReadOnlySpan<byte> input)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(dataset);
        if (operation is ISinglePassTileOperation)
        {
            using TileLease lease = cache.Borrow(dataset, id);
            return operation.Run(lease.Tile, input);
        }
        Tile tile = cache.Get(dataset, id);
        return operation is INeighbourTileOperation neighbours
            ? neighbours.Run(tile, input, other => cache.Get(dataset, other))
            : operation.Run(tile, input);
    }
}
