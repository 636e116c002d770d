namespace GenoFlow.Analysis.Execution;

/// <summary>
/// One scatter: run <see cref="Operation"/> on each of <see cref="Tiles"/> (in tile order). <see cref="InputFor"/> gives
/// a tile's input bytes when the tile is dispatched (and again on a retry), so inputs are never all held at once.
/// </summary>
public sealed record TileJob(DatasetRef Dataset, string Operation, IReadOnlyList<TileId> Tiles, Func<TileId, ReadOnlyMemory<byte>> InputFor)
{
    /// <summary>A job whose tiles all take the same input.</summary>
    public static TileJob Uniform(DatasetRef dataset, string operation, IReadOnlyList<TileId> tiles, ReadOnlyMemory<byte> input) =>
        new(dataset, operation, tiles, _ => input);
}
