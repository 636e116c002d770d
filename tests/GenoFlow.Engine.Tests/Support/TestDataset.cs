using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Engine.Tests.Support;

/// <summary>A dataset of random packed rows in a scratch directory, deleted on dispose.</summary>
internal sealed class TestDataset : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("genoflow-engine-").FullName;
    private ScratchStore? _scratch;
    private int _shardSets;

    public TestDataset(int samples = 300, int regions = 24, int variantsPerTile = 12, int samplesPerTile = 100, int seed = 17)
    {
        Path = System.IO.Path.Join(_root, "dataset");
        SampleCount = samples;
        VariantCount = regions * variantsPerTile;
        var random = new Random(seed);
        using (var writer = DatasetWriter.Create(Path, Enumerable.Range(0, samples).Select(i => SampleInfo.FromId($"s{i}")).ToList(), new DatasetWriteOptions(variantsPerTile, samplesPerTile)))
        {
            var row = new byte[PackedGenotypes.RowBytes(samples)];
            var counts = new sbyte[samples];
            for (int v = 0; v < regions * variantsPerTile; v++)
            {
                for (int s = 0; s < samples; s++)
                {
                    counts[s] = (sbyte)(random.Next(4) - 1);
                }
                PackedGenotypes.Pack(counts, row);
                writer.Write(new VariantInfo("1", 1000 + (10 * v), $"v{v}", "A", "G"), row);
            }
            writer.Complete();
        }
        using Dataset dataset = Dataset.Open(Path);
        Reference = DatasetRef.Of(dataset);
        Tiles = TileGrid.All(dataset);
    }

    public string Path { get; }

    public DatasetRef Reference { get; }

    public IReadOnlyList<TileId> Tiles { get; }

    public TileJob Job(string operation) => TileJob.Uniform(Reference, operation, Tiles, new byte[] { 1, 2, 3 });

    /// <summary>The tile's Parquet file.</summary>
    public string TileFile(TileId tile) =>
        Directory.GetFiles(Path, $"r{tile.Region:D6}_b{tile.Block:D4}.parquet", SearchOption.AllDirectories).Single();

    /// <summary>Reduces <paramref name="job"/> on <paramref name="executor"/> by concatenating partials (so order matters).</summary>
    public static async Task<byte[]> ConcatenateAsync(IJobExecutor executor, TileJob job)
    {
        using var all = new MemoryStream();
        await executor.RunAsync(job, (_, partial) => all.Write(partial.Span));
        return all.ToArray();
    }

    /// <summary>The reference result: the in-process executor over the same dataset and operations.</summary>
    public async Task<byte[]> InProcessAsync(OperationRegistry operations, string operation) =>
        await ConcatenateAsync(new InProcessExecutor(new TileCache(64 << 20), operations, parallelism: 2), Job(operation));

    /// <summary>
    /// A sample shard set over the dataset's samples in reverse order, 37 rows per shard (so shards straddle sample
    /// blocks), two values per row, with the genotypes of every third variant.
    /// </summary>
    public SampleShardSet ShardSet()
    {
        long[] variants = [.. Enumerable.Range(0, VariantCount).Where(v => v % 3 == 0).Select(v => (long)v)];
        // In a job area of the nodes' scratch root: messages name a shard set by its job and name there. The store is
        // kept until disposal: its owner marker is what keeps a node's collection of dead jobs' areas off it.
        _scratch ??= TestCluster.Scratch.CreateStore();
        using var writer = SampleShardSetWriter.Create(_scratch.DirectoryOf($"shards-{++_shardSets}"), ["x", "y"], 37, Reference, variants);
        for (int s = SampleCount - 1; s >= 0; s--)
        {
            writer.Add($"s{s}", s, [s, s * 0.5]);
        }
        return writer.Commit();
    }

    public int SampleCount { get; }

    public int VariantCount { get; }

    /// <summary>Reduces a sample-shard job by concatenating partials (so order matters).</summary>
    public static async Task<byte[]> ConcatenateAsync(IJobExecutor executor, SampleShardJob job)
    {
        using var all = new MemoryStream();
        await executor.RunAsync(job, (_, partial) => all.Write(partial.Span));
        return all.ToArray();
    }

    public void Dispose()
    {
        _scratch?.Delete();
        Directory.Delete(_root, recursive: true);
    }
}
