namespace GenoFlow.Engine.Hosting;

/// <summary>Actor registry key of the tile shard region (or its proxy on coordinator-only nodes).</summary>
public sealed class TileRegion
{
    private TileRegion()
    {
    }
}

/// <summary>Actor registry key of the sample-shard shard region (or its proxy on coordinator-only nodes).</summary>
public sealed class SampleShardRegion
{
    private SampleShardRegion()
    {
    }
}
