using System.Globalization;
using GenoFlow.Analysis.Execution;

namespace GenoFlow.Engine.Tiles;

/// <summary>
/// Tile entity ids, <c>{manifestChecksum}/{region}/{block}</c>: one entity per tile of one exact dataset version, so a
/// replaced dataset gets new entities.
/// </summary>
public static class TileEntityId
{
    public static string Format(string manifestChecksum, TileId tile) =>
        string.Create(CultureInfo.InvariantCulture, $"{manifestChecksum}/{tile.Region}/{tile.Block}");
}
