using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.KMeans;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Tests.TestSupport;

namespace GenoFlow.Analysis.Tests.KMeans;

/// <summary>The stage's in-memory shards (in-process executor) against the shards written to scratch and read back.</summary>
public sealed class KMeansStageTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task In_memory_shards_give_the_bytes_of_written_shards_and_nothing_is_read_back()
    {
        Blobs.Data blobs = Blobs.Create(rows: 3000, k: 4, dimensions: 5, seed: 11);
        Blobs.WriteTsv(blobs, _temp.File("blobs.tsv"));
        var request = new KMeansStage.Request(SampleTable.Read(_temp.File("blobs.tsv")), null, [new KMeansSettings(4, Seed: 3, Restarts: 2)], RowsPerShard: 700);

        var inMemory = new SampleShardCache(SampleShardCache.DefaultCapacityBytes, new TileCache(1 << 20));
        await RunAsync(new InProcessExecutor(new TileCache(1 << 20), shards: inMemory, scratch: TestScratch.Root), request, "memory");
        var written = new SampleShardCache(SampleShardCache.DefaultCapacityBytes, new TileCache(1 << 20));
        await RunAsync(new NoHostExecutor(new InProcessExecutor(new TileCache(1 << 20), shards: written, scratch: TestScratch.Root)), request, "written");

        Assert.Equal(0, inMemory.Loads);
        Assert.Equal(5, written.Loads);
        foreach (string file in new[] { KMeansOutput.AssignmentsFile, KMeansOutput.CentroidsFile })
        {
            Assert.Equal(File.ReadAllBytes(Path.Join(_temp.File("written"), file)), File.ReadAllBytes(Path.Join(_temp.File("memory"), file)));
        }
    }

    [Fact]
    public async Task Shards_that_do_not_fit_the_cache_are_written_instead()
    {
        Blobs.Data blobs = Blobs.Create(rows: 500, k: 2, dimensions: 3, seed: 2);
        Blobs.WriteTsv(blobs, _temp.File("small.tsv"));
        var request = new KMeansStage.Request(SampleTable.Read(_temp.File("small.tsv")), null, [new KMeansSettings(2, Seed: 3, Restarts: 1)], RowsPerShard: 100);
        var tiny = new SampleShardCache(1024, new TileCache(1 << 20));

        await RunAsync(new InProcessExecutor(new TileCache(1 << 20), shards: tiny, scratch: TestScratch.Root), request, "tiny");

        Assert.True(tiny.Loads >= 5, $"{tiny.Loads} shard loads");
    }

    [Fact]
    public async Task A_sample_with_fewer_distinct_points_than_k_falls_back_to_all_rows()
    {
        // 10,000 rows, 9,996 of them equal: the 3,072-row initialisation sample almost surely misses some of the other
        // four points, so k-means|| has to run over all rows to find five.
        string[] outliers = ["10\t0", "0\t10", "-10\t0", "0\t-10"];
        var lines = Enumerable.Range(0, 10_000).Select(i => $"s{i}\t" + (i % 2500 == 1249 ? outliers[i / 2500] : "0\t0"));
        File.WriteAllLines(_temp.File("few.tsv"), ["sample_id\tx1\tx2", .. lines]);
        var request = new KMeansStage.Request(SampleTable.Read(_temp.File("few.tsv")), null, [new KMeansSettings(5, Seed: 2, Restarts: 1)], RowsPerShard: 4096);

        KMeansStage.Result result = await RunAsync(new InProcessExecutor(new TileCache(1 << 20), scratch: TestScratch.Root), request, "few");

        Assert.Equal([1L, 1, 1, 1, 9996], result.Runs[0].ClusterSizes.Order());
        Assert.Equal(0, result.Runs[0].Inertia);
    }

    private async Task<KMeansStage.Result> RunAsync(IJobExecutor executor, KMeansStage.Request request, string output)
    {
        using var context = new StageContext(executor, _temp.File(output));
        return await KMeansStage.RunAsync(context, request);
    }

    /// <summary>An executor that does not hold shards in memory, as the cluster's does not.</summary>
    private sealed class NoHostExecutor(IJobExecutor inner) : IJobExecutor
    {
        public ScratchRoot Scratch => inner.Scratch;

        public Task<JobSummary> RunAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
            inner.RunAsync(job, reduce, progress, cancellationToken);

        public Task<JobSummary> RunAsync(SampleShardJob job, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
            inner.RunAsync(job, reduce, progress, cancellationToken);
    }
}
