using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Shards;

public sealed class SampleShardSetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Shard_genotypes_equal_the_dataset_genotypes_of_their_samples_at_the_selected_variants()
    {
        var settings = new CohortSettings(Samples: 257, Variants: 300, Populations: 2, Fst: 0.05, MissingRate: 0.05, Seed: 5, CausalVariants: 3);
        (_, Dataset dataset) = Cohort.Create(_temp.Path, settings, variantsPerTile: 40, samplesPerTile: 64);
        using (dataset)
        {
            long[] variants = [0, 1, 39, 40, 41, 150, 151, 152, 153, 154, 299];
            int[] samples = [256, 3, 64, 65, 200, 0, 127, 128];
            SampleShardSet set;
            using (var writer = SampleShardSetWriter.Create(_temp.File("shards"), ["a"], rowsPerShard: 3, DatasetRef.Of(dataset), variants))
            {
                foreach (int s in samples)
                {
                    writer.Add($"id{s}", s, [s + 0.25]);
                }
                set = writer.Commit();
            }

            var expected = new sbyte[variants.Length, dataset.SampleCount];
            using (IGenotypeReader rows = dataset.OpenRowReader())
            {
                var row = new byte[PackedGenotypes.RowBytes(dataset.SampleCount)];
                var counts = new sbyte[dataset.SampleCount];
                int selected = 0;
                for (long v = 0; rows.ReadNext(out _, row); v++)
                {
                    if (selected < variants.Length && variants[selected] == v)
                    {
                        PackedGenotypes.Unpack(row, counts);
                        for (int s = 0; s < counts.Length; s++)
                        {
                            expected[selected, s] = counts[s];
                        }
                        selected++;
                    }
                }
            }
            var cache = new SampleShardCache(1 << 20, new TileCache(1 << 20));
            Assert.Equal(3, set.ShardCount);
            int row0 = 0;
            for (int shard = 0; shard < set.ShardCount; shard++)
            {
                SampleShard loaded = cache.Get(ShardSetRef.Of(set), shard);
                Assert.Equal(row0, loaded.FirstRow);
                for (int r = 0; r < loaded.Rows; r++)
                {
                    int sample = samples[row0 + r];
                    Assert.Equal(($"id{sample}", sample, sample + 0.25), (loaded.SampleIds[r], loaded.SampleIndices[r], loaded.Row(r)[0]));
                    for (int j = 0; j < variants.Length; j++)
                    {
                        Assert.Equal(expected[j, sample], loaded.Genotypes!.AltCount(r, j));
                    }
                }
                row0 += loaded.Rows;
            }
            Assert.Equal(samples.Length, row0);
            Assert.True(expected.Cast<sbyte>().Contains((sbyte)-1), "the cohort should have missing genotypes to carry");
        }
    }

    [Fact]
    public void A_writer_disposed_without_commit_leaves_nothing_and_a_damaged_shard_is_refused_by_name()
    {
        string path = _temp.File("rows");
        using (var writer = SampleShardSetWriter.Create(path, ["x", "y"], rowsPerShard: 2))
        {
            writer.Add("a", -1, [1, 2]);
            writer.Add("b", -1, [3, 4]);
            writer.Add("c", -1, [5, 6]);
        }
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));

        SampleShardSet set;
        using (var writer = SampleShardSetWriter.Create(path, ["x", "y"], rowsPerShard: 2))
        {
            writer.Add("a", -1, [1, 2]);
            writer.Add("b", -1, [3, 4]);
            writer.Add("c", -1, [5, 6]);
            set = writer.Commit();
        }
        Assert.Equal([_temp.File("rows")], Directory.GetFileSystemEntries(_temp.Path));
        var cache = new SampleShardCache(1 << 20, new TileCache(0));
        SampleShard last = cache.Get(ShardSetRef.Of(set), 1);
        Assert.Equal((2L, 1, 5.0, 6.0), (last.FirstRow, last.Rows, last.Row(0)[0], last.Row(0)[1]));

        string shardFile = Path.Join(path, set.Manifest.Shards[0].File);
        byte[] bytes = File.ReadAllBytes(shardFile);
        bytes[^20] ^= 0xFF;
        File.WriteAllBytes(shardFile, bytes);
        var error = Assert.Throws<GenoFlowFormatException>(() => new SampleShardCache(1 << 20, new TileCache(0)).Get(ShardSetRef.Of(set), 0));
        Assert.StartsWith($"{shardFile}: checksum mismatch", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
