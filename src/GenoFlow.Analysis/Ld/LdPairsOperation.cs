using GenoFlow.Analysis.Execution;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Ld;

/// <summary>
/// <c>ld.pairs/1</c>: for one tile (region r, block b), the r² sufficient statistics (<see cref="LdPairsPartial"/>) of
/// every pair the LD-prune windows can hold whose first variant lies in region r, over the block's counted samples.
/// Partners past region r's end (windows crossing a region boundary) are read from tiles (r+1, b), (r+2, b), … of the
/// same dataset through the node's cache. Input: <see cref="LdPairsInput"/>.
/// </summary>
public sealed class LdPairsOperation : INeighbourTileOperation, ICacheableTileOperation
{
    public const string OperationName = "ld.pairs/1";

    public string Name => OperationName;

    public int ResultVersion => 1;

    /// <summary>The tile and the same block's tiles of every later region up to the one holding the input's last variant.</summary>
    public IReadOnlyList<TileId> TilesRead(TileId tile, ReadOnlySpan<byte> input, DatasetManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        LdPairsInput request = LdPairsInput.Decode(input);
        var tiles = new List<TileId> { tile };
        long last = request.Variants.Length == 0 ? -1 : request.Variants[^1];
        for (int r = tile.Region + 1; r < manifest.Regions.Count && manifest.Regions[r].FirstVariant <= last; r++)
        {
            tiles.Add(tile with { Region = r });
        }
        return tiles;
    }

    public byte[] Run(Tile tile, ReadOnlySpan<byte> input) =>
        throw new InvalidOperationException($"{OperationName} reads the next region's tile; run it through {nameof(TileOperationRunner)}");

    /// <summary>Variants handled between two looks at the cancellation token (each with up to a window of pairs).</summary>
    private const int VariantsPerCheck = 256;

    public byte[] Run(Tile tile, ReadOnlySpan<byte> input, Func<TileId, Tile> loadTile, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(tile);
        ArgumentNullException.ThrowIfNull(loadTile);
        LdPairsInput request = LdPairsInput.Decode(input);
        if (request.KeepMask.Length != 0 && request.KeepMask.Length != tile.Stride)
        {
            throw new ArgumentException($"{OperationName} on tile {tile.Id}: a keep mask of {tile.Stride} bytes expected, got {request.KeepMask.Length}", nameof(input));
        }
        using var planes = new GenotypePlanes(request.Variants.Length, tile.SampleCount);
        Tile current = tile;
        for (int t = 0; t < request.Variants.Length; t++)
        {
            if (t % VariantsPerCheck == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }
            long variant = request.Variants[t];
            while (variant >= current.FirstVariant + current.VariantCount)
            {
                var next = new TileId(current.Id.Region + 1, tile.Id.Block);
                Tile loaded = loadTile(next);
                if (loaded.FirstVariant != current.FirstVariant + current.VariantCount || loaded.SampleCount != tile.SampleCount)
                {
                    throw new InvalidOperationException($"{OperationName}: tile {next} does not continue tile {current.Id} (first variant {loaded.FirstVariant})");
                }
                current = loaded;
            }
            if (variant < current.FirstVariant || (t < request.OwnCount && current != tile))
            {
                throw new ArgumentException($"{OperationName} on tile {tile.Id}: variant {variant} is not where the input says", nameof(input));
            }
            planes.Fill(t, current.Row((int)(variant - current.FirstVariant)), request.KeepMask);
        }

        long pairCount = request.Reach.Sum(r => (long)r);
        LdPairsPartial partial = LdPairsPartial.Empty(request.OwnCount, checked((int)pairCount));
        Span<int> counts = partial.VariantCounts, sums = partial.PairSums;
        int at = 0;
        for (int i = 0; i < request.OwnCount; i++)
        {
            if (i % VariantsPerCheck == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }
            (counts[3 * i], counts[3 * i + 1], counts[3 * i + 2]) = planes.Counts(i);
            planes.AddWindowSums(i, request.Reach[i], sums.Slice(at, LdPairsPartial.SumsPerPair * request.Reach[i]));
            at += LdPairsPartial.SumsPerPair * request.Reach[i];
        }
        return partial.Encode();
    }
}
