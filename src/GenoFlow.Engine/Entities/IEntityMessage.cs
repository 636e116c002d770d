namespace GenoFlow.Engine.Entities;

/// <summary>A message for one sharded entity (a tile or a sample shard); <see cref="EntityMessageExtractor"/> routes by <see cref="EntityId"/>.</summary>
public interface IEntityMessage
{
    string EntityId { get; }
}
