using Akka.Cluster.Sharding;

namespace GenoFlow.Engine.Tiles;

/// <summary>The one message extractor of the tile shard region: entity id from <see cref="ITileEntityMessage"/>, shard from <see cref="TileEntityId.ShardOf"/>.</summary>
public sealed class TileMessageExtractor : IMessageExtractor
{
    public TileMessageExtractor(int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        ShardCount = shardCount;
    }

    public int ShardCount { get; }

    public string? EntityId(object message) => message switch
    {
        ITileEntityMessage m => m.EntityId,
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message) is { } id ? TileEntityId.ShardOf(id, ShardCount) : null;

    public string ShardId(string entityId, object? messageHint = null) => TileEntityId.ShardOf(entityId, ShardCount);
}
