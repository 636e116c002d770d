namespace GenoFlow.Engine.Tiles;

/// <summary>A message for one tile entity; <see cref="TileMessageExtractor"/> routes by <see cref="EntityId"/>.</summary>
public interface ITileEntityMessage
{
    string EntityId { get; }
}
