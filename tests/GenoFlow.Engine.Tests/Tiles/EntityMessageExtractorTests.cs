using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Entities;
using GenoFlow.Engine.Tiles;

namespace GenoFlow.Engine.Tests.Tiles;

public sealed class EntityMessageExtractorTests
{
    [Fact]
    public void Shard_ids_are_a_stable_xxh3_of_the_entity_id()
    {
        var extractor = new EntityMessageExtractor(100);
        var run = new TileEntity.RunTileOperation(1, "j", "data", "9f86d081884c7d65", 4, 2, "op/1", ReadOnlyMemory<byte>.Empty);

        Assert.Equal("9f86d081884c7d65/4/2", extractor.EntityId(run));
        Assert.Same(run, extractor.EntityMessage(run));
        // Pinned: every process of every version must put this tile in the same shard.
        Assert.Equal(GoldenShard, extractor.ShardId(run));
        Assert.Equal(GoldenShard, extractor.ShardId("9f86d081884c7d65/4/2"));
        Assert.Null(extractor.EntityId("not a tile message"));
    }

    [Fact]
    public void Tiles_spread_over_the_shards()
    {
        var shards = new HashSet<string>();
        for (int region = 0; region < 100; region++)
        {
            for (int block = 0; block < 10; block++)
            {
                string shard = EntityMessageExtractor.ShardOf(TileEntityId.Format("0123456789abcdef", new TileId(region, block)), 100);
                Assert.InRange(int.Parse(shard, System.Globalization.CultureInfo.InvariantCulture), 0, 99);
                shards.Add(shard);
            }
        }
        Assert.True(shards.Count >= 95, $"1000 tiles should reach nearly all 100 shards, reached {shards.Count}");
    }

    private const string GoldenShard = "78";
}
