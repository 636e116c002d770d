using System.Globalization;
using System.IO.Hashing;
using System.Text;
using GenoFlow.Analysis.Execution;

namespace GenoFlow.Engine.Tiles;

/// <summary>
/// Tile entity ids, <c>{manifestChecksum}/{region}/{block}</c>: one entity per tile of one exact dataset version, so a
/// replaced dataset gets new entities. Shards come from xxh3 of the id, stable across processes and platforms.
/// </summary>
public static class TileEntityId
{
    public static string Format(string manifestChecksum, TileId tile) =>
        string.Create(CultureInfo.InvariantCulture, $"{manifestChecksum}/{tile.Region}/{tile.Block}");

    /// <summary>Shard of <paramref name="entityId"/>: xxh3 (seed 0) of its UTF-8 bytes, mod <paramref name="shardCount"/>.</summary>
    public static string ShardOf(string entityId, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        ulong hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(entityId));
        return (hash % (ulong)shardCount).ToString(CultureInfo.InvariantCulture);
    }
}
