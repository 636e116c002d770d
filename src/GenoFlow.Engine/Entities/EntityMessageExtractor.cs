using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Akka.Cluster.Sharding;

namespace GenoFlow.Engine.Entities;

/// <summary>
/// The message extractor of GenoFlow's shard regions (tiles and sample shards): entity id from
/// <see cref="IEntityMessage"/>, shard from <see cref="ShardOf"/>.
/// </summary>
public sealed class EntityMessageExtractor : IMessageExtractor
{
    public EntityMessageExtractor(int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        ShardCount = shardCount;
    }

    public int ShardCount { get; }

    public string? EntityId(object message) => message switch
    {
        IEntityMessage m => m.EntityId,
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message) is { } id ? ShardOf(id, ShardCount) : null;

    public string ShardId(string entityId, object? messageHint = null) => ShardOf(entityId, ShardCount);

    /// <summary>Shard of <paramref name="entityId"/>: xxh3 (seed 0) of its UTF-8 bytes, mod <paramref name="shardCount"/>, stable across processes and platforms.</summary>
    public static string ShardOf(string entityId, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        ulong hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(entityId));
        return (hash % (ulong)shardCount).ToString(CultureInfo.InvariantCulture);
    }
}
