using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Engine.Hosting;
using GenoFlow.Engine.Jobs;
using GenoFlow.Engine.Tests.Support;

namespace GenoFlow.Engine.Tests.Hosting;

/// <summary>Sample-shard jobs on real clusters: the bytes of the in-process executor, spread over the members.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterShardJobTests : IDisposable
{
    private readonly TestDataset _dataset = new();

    [Fact]
    public async Task Three_members_share_the_sample_shards_and_give_the_in_process_bytes()
    {
        var operations = TestOperations.Registry();
        SampleShardSet set = _dataset.ShardSet();
        SampleShardJob job = SampleShardJob.Uniform(ShardSetRef.Of(set), ShardDigestOperation.WireName, set.ShardCount, new byte[] { 7, 7 });
        byte[] expected = await TestDataset.ConcatenateAsync(new InProcessExecutor(new TileCache(16 << 20), operations, parallelism: 2), job);
        var settings = TestCluster.Settings(operations, serializeMessages: false);
        await using IClusterSession first = await ClusterSession.StartEmbeddedAsync(settings);
        await using IClusterSession second = await ClusterSession.StartNodeAsync(settings with { Roles = [GenoFlowRoles.Worker], Host = "127.0.0.1", Port = 0, Seeds = [first.Endpoint] });
        await using IClusterSession third = await ClusterSession.StartNodeAsync(settings with { Roles = [GenoFlowRoles.Worker], Host = "127.0.0.1", Port = 0, Seeds = [first.Endpoint] });
        await first.WaitForWorkersAsync(3, TimeSpan.FromSeconds(20));

        var order = new List<int>();
        using var all = new MemoryStream();
        await first.Executor.RunAsync(job, (shard, partial) =>
        {
            order.Add(shard);
            all.Write(partial.Span);
        });

        Assert.Equal(9, set.ShardCount);
        Assert.Equal(Enumerable.Range(0, set.ShardCount), order);
        Assert.Equal(expected, all.ToArray());
        JobStatistics statistics = first.Executor.LastStatistics!;
        foreach (IClusterSession node in new[] { first, second, third })
        {
            Assert.True(statistics.UnitsPerNode.GetValueOrDefault(node.Address) >= 1, $"expected {node.Address} to host at least one sample shard; per node: {string.Join(", ", statistics.UnitsPerNode.Select(p => $"{p.Key}={p.Value}"))}");
        }
    }

    [Fact]
    public async Task A_worker_that_leaves_mid_job_has_its_shards_retried_on_the_remaining_member()
    {
        var operations = TestOperations.Registry();
        SampleShardSet set = _dataset.ShardSet();
        SampleShardJob job = SampleShardJob.Uniform(ShardSetRef.Of(set), ShardDigestOperation.WireName, set.ShardCount, ReadOnlyMemory<byte>.Empty);
        byte[] expected = await TestDataset.ConcatenateAsync(new InProcessExecutor(new TileCache(16 << 20), operations, parallelism: 2), job);
        var settings = TestCluster.Settings(operations, serializeMessages: false) with { RequestTimeout = TimeSpan.FromSeconds(2), InFlightPerWorker = 2 };
        using var unanswered = new UnansweredOperation();
        await using IClusterSession survivor = await ClusterSession.StartEmbeddedAsync(settings);
        IClusterSession leaving = await ClusterSession.StartNodeAsync(settings with { Roles = [GenoFlowRoles.Worker], Port = 0, Seeds = [survivor.Endpoint], Operations = new([unanswered], [unanswered]) });
        await survivor.WaitForWorkersAsync(2, TimeSpan.FromSeconds(20));

        Task<byte[]> result = TestDataset.ConcatenateAsync(survivor.Executor, job);
        await unanswered.Started.WaitAsync(TimeSpan.FromSeconds(20));
        await leaving.DisposeAsync();

        Assert.Equal(expected, await result.WaitAsync(TimeSpan.FromSeconds(60)));
        JobStatistics statistics = survivor.Executor.LastStatistics!;
        Assert.True(statistics.Timeouts >= 1, "the requests held by the leaving worker should have timed out");
        Assert.Equal([survivor.Address], statistics.UnitsPerNode.Keys);
    }

    [Fact]
    public async Task A_damaged_shard_file_fails_the_job_at_once_naming_the_file()
    {
        var operations = TestOperations.Registry();
        SampleShardSet set = _dataset.ShardSet();
        string damaged = Path.Join(set.Path, set.Manifest.Shards[4].File);
        File.WriteAllBytes(damaged, [.. File.ReadAllBytes(damaged).Take(100)]);
        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(operations));

        var error = await Assert.ThrowsAsync<JobFailedException>(() => node.Executor.RunAsync(
            SampleShardJob.Uniform(ShardSetRef.Of(set), ShardDigestOperation.WireName, set.ShardCount, ReadOnlyMemory<byte>.Empty), (_, _) => { }));

        var (job, name) = TestCluster.Scratch.Locate(set.Path);
        Assert.Contains($"sample shard 4 of {job}/{name} on {node.Address}: {damaged}: checksum mismatch", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, node.Executor.LastStatistics!.Retries);
    }

    public void Dispose() => _dataset.Dispose();
}
