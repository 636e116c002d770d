using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Execution;

public static class TileGrid
{
    /// <summary>Every tile of the dataset, in tile order (region-major).</summary>
    public static IReadOnlyList<TileId> All(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var tiles = new List<TileId>(dataset.RegionCount * dataset.SampleBlockCount);
        for (int region = 0; region < dataset.RegionCount; region++)
        {
            for (int block = 0; block < dataset.SampleBlockCount; block++)
            {
                tiles.Add(new TileId(region, block));
            }
        }
        return tiles;
    }
}
