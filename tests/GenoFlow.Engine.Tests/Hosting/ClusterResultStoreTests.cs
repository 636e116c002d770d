using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Results;
using GenoFlow.Engine.Hosting;
using GenoFlow.Engine.Tests.Support;

namespace GenoFlow.Engine.Tests.Hosting;

/// <summary>The result store in front of a real one-node cluster: the cluster's partials are the in-process executor's, stored and served alike.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterResultStoreTests : IDisposable
{
    private readonly TestDataset _dataset = new();
    private readonly string _stores = Directory.CreateTempSubdirectory("genoflow-result-store-").FullName;

    public void Dispose()
    {
        _dataset.Dispose();
        Directory.Delete(_stores, recursive: true);
    }

    [Fact]
    public async Task One_node_cluster_and_in_process_give_the_same_bytes_with_the_store_on()
    {
        TileJob job = TileJob.Uniform(_dataset.Reference, QcCountsOperation.OperationName, _dataset.Tiles, ReadOnlyMemory<byte>.Empty);
        var inProcessStore = new ResultStoreSettings { Directory = Path.Join(_stores, "in-process") };
        var clusterStore = new ResultStoreSettings { Directory = Path.Join(_stores, "cluster") };
        var (expected, filled) = await RunAsync(new CachingExecutor(InProcess(), inProcessStore), job);
        Assert.Equal(_dataset.Tiles.Count, filled.Computed);

        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(OperationRegistry.For(TestCluster.Scratch)));
        var cluster = new CachingExecutor(node.Executor, clusterStore);
        var (computed, first) = await RunAsync(cluster, job);
        Assert.Equal(expected, computed);
        Assert.Equal([node.Address], first.UnitsPerNode.Keys);
        Assert.Equal((_dataset.Tiles.Count, 0L), (first.Computed, first.FromStore!.Value));
        AssertSameEntries(inProcessStore.Directory!, clusterStore.Directory!);

        // Every other entry gone: the cluster computes those tiles between stored ones, and the reduce order holds.
        string[] entries = [.. Directory.GetFiles(clusterStore.Directory!).Order(StringComparer.Ordinal)];
        foreach (string entry in entries.Where((_, i) => i % 2 == 0))
        {
            File.Delete(entry);
        }
        var (mixed, half) = await RunAsync(cluster, job);
        Assert.Equal(expected, mixed);
        Assert.Equal(((entries.Length + 1) / 2, entries.Length / 2L), (half.Computed, half.FromStore!.Value));

        var (served, stored) = await RunAsync(new CachingExecutor(InProcess(), clusterStore), job);
        Assert.Equal(expected, served);
        Assert.Equal((0, _dataset.Tiles.Count), (stored.Computed, stored.FromStore!.Value));
    }

    private static InProcessExecutor InProcess() => new(new TileCache(64 << 20), parallelism: 2, scratch: TestCluster.Scratch);

    /// <summary>The partials concatenated in reduce order, and the job's summary.</summary>
    private static async Task<(byte[] Bytes, JobSummary Summary)> RunAsync(CachingExecutor executor, TileJob job)
    {
        using var all = new MemoryStream();
        JobSummary summary = await executor.RunAsync(job, (_, partial) => all.Write(partial.Span));
        return (all.ToArray(), summary);
    }

    private static void AssertSameEntries(string expected, string actual)
    {
        string[] names = [.. Directory.GetFiles(expected).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.NotEmpty(names);
        Assert.Equal(names, Directory.GetFiles(actual).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string name in names)
        {
            Assert.Equal(File.ReadAllBytes(Path.Join(expected, name)), File.ReadAllBytes(Path.Join(actual, name)));
        }
    }
}
