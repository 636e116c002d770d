using GenoFlow.Analysis.Execution;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Execution;

public sealed class TileCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "genoflow-cache-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public void Tiles_hold_the_rows_that_were_written_and_stay_within_the_byte_budget()
    {
        (Dataset dataset, byte[][] rows) = WriteDataset(samples: 10, variants: 9, variantsPerTile: 3, samplesPerTile: 4);
        long oneTile = 3 * PackedGenotypes.RowBytes(4);
        var cache = new TileCache(capacityBytes: 2 * oneTile);
        DatasetRef reference = DatasetRef.Of(dataset);

        foreach (TileId id in TileGrid.All(dataset))
        {
            Tile tile = cache.Get(reference, id);
            for (int v = 0; v < tile.VariantCount; v++)
            {
                for (int s = 0; s < tile.SampleCount; s++)
                {
                    Assert.Equal(PackedGenotypes.GetCode(rows[tile.FirstVariant + v], tile.FirstSample + s), PackedGenotypes.GetCode(tile.Row(v), s));
                }
            }
            Assert.True(cache.CachedBytes <= cache.CapacityBytes);
        }
        Assert.Equal(9, cache.Loads);
        cache.Get(reference, new TileId(2, 2));
        Assert.Equal(9, cache.Loads);
        cache.Get(reference, new TileId(0, 0));
        Assert.Equal(10, cache.Loads);
    }

    [Fact]
    public void Borrowed_tiles_hold_the_cached_rows_are_not_kept_and_reuse_a_cached_tile()
    {
        (Dataset dataset, _) = WriteDataset(samples: 11, variants: 10, variantsPerTile: 4, samplesPerTile: 8);
        var cache = new TileCache(capacityBytes: 1 << 20);
        var reference = new TileCache(capacityBytes: 1 << 20);
        DatasetRef dataRef = DatasetRef.Of(dataset);

        foreach (TileId id in TileGrid.All(dataset))
        {
            Tile expected = reference.Get(dataRef, id);
            using TileLease lease = cache.Borrow(dataRef, id);
            Assert.Equal((expected.FirstVariant, expected.VariantCount, expected.FirstSample, expected.SampleCount), (lease.Tile.FirstVariant, lease.Tile.VariantCount, lease.Tile.FirstSample, lease.Tile.SampleCount));
            Assert.True(expected.Packed.SequenceEqual(lease.Tile.Packed), $"tile {id}");
        }
        Assert.Equal(0, cache.CachedBytes);
        Assert.Equal(TileGrid.All(dataset).Count, cache.Loads);

        Tile cached = cache.Get(dataRef, new TileId(1, 1));
        using TileLease again = cache.Borrow(dataRef, new TileId(1, 1));
        Assert.Same(cached, again.Tile);
        Assert.Equal(TileGrid.All(dataset).Count + 1, cache.Loads);
    }

    [Fact]
    public async Task In_process_executor_reduces_in_tile_order()
    {
        (Dataset dataset, _) = WriteDataset(samples: 9, variants: 20, variantsPerTile: 4, samplesPerTile: 4);
        var registry = new OperationRegistry([new FirstVariantOperation()]);
        var executor = new InProcessExecutor(new TileCache(1 << 20), registry, parallelism: 2);
        IReadOnlyList<TileId> tiles = TileGrid.All(dataset);
        var seen = new List<(TileId, long)>();

        await executor.RunAsync(TileJob.Uniform(DatasetRef.Of(dataset), "test.first-variant/1", tiles, Array.Empty<byte>()), (id, partial) => seen.Add((id, BitConverter.ToInt64(partial.Span))));

        Assert.Equal(tiles, seen.Select(s => s.Item1));
        Assert.Equal(tiles.Select(t => t.Region * 4L), seen.Select(s => s.Item2));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (Dataset, byte[][]) WriteDataset(int samples, int variants, int variantsPerTile, int samplesPerTile)
    {
        var random = new Random(samples * 1000 + variants);
        var rows = new byte[variants][];
        using (var writer = DatasetWriter.Create(_root, Enumerable.Range(0, samples).Select(i => SampleInfo.FromId($"s{i}")).ToList(), new DatasetWriteOptions(variantsPerTile, samplesPerTile)))
        {
            for (int v = 0; v < variants; v++)
            {
                sbyte[] counts = Enumerable.Range(0, samples).Select(_ => (sbyte)(random.Next(4) - 1)).ToArray();
                rows[v] = new byte[PackedGenotypes.RowBytes(samples)];
                PackedGenotypes.Pack(counts, rows[v]);
                writer.Write(new VariantInfo("1", 100 + v, $"v{v}", "A", "G"), rows[v]);
            }
            writer.Complete();
        }
        return (Dataset.Open(_root), rows);
    }

    private sealed class FirstVariantOperation : ITileOperation
    {
        public string Name => "test.first-variant/1";

        public byte[] Run(Tile tile, ReadOnlySpan<byte> input) => BitConverter.GetBytes(tile.FirstVariant);
    }
}
