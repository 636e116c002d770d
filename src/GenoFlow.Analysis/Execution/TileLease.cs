using System.Buffers;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// A tile lent by <see cref="TileCache.Borrow"/> for one operation: a cached tile, or one whose rows live in an array
/// rented from <see cref="ArrayPool{T}.Shared"/>, which disposing the lease returns (the tile must not be used after).
/// </summary>
public readonly struct TileLease(Tile tile, byte[]? rented) : IDisposable
{
    public Tile Tile { get; } = tile;

    public void Dispose()
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
