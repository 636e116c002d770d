using GenoFlow.Engine.Hosting;
using GenoFlow.Engine.Jobs;
using GenoFlow.Engine.Tests.Support;

namespace GenoFlow.Engine.Tests.Hosting;

[Collection(ClusterCollection.Name)]
public sealed class ClusterJobTests : IDisposable
{
    private readonly TestDataset _dataset = new();

    [Fact]
    public async Task Embedded_node_gives_the_bytes_of_the_in_process_executor()
    {
        var operations = TestOperations.Registry();
        byte[] expected = await _dataset.InProcessAsync(operations, VariantCountsOperation.WireName);
        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(operations));

        var reduced = new List<Analysis.Execution.TileId>();
        using var all = new MemoryStream();
        double lastProgress = 0;
        JobStatistics statistics = await node.Executor.RunJobAsync(
            _dataset.Job(VariantCountsOperation.WireName),
            (tile, partial) =>
            {
                reduced.Add(tile);
                all.Write(partial.Span);
            },
            new SynchronousProgress(p => lastProgress = p));

        Assert.True(_dataset.Tiles.Count >= 50, $"the test dataset should have many tiles, has {_dataset.Tiles.Count}");
        Assert.Equal(_dataset.Tiles, reduced);
        Assert.Equal(expected, all.ToArray());
        Assert.Equal(1.0, lastProgress);
        Assert.Equal([node.Address], statistics.UnitsPerNode.Keys);
        Assert.Equal(_dataset.Tiles.Count, statistics.Requests);
        Assert.Equal(0, statistics.Retries);
        Assert.True(node.Cache.CachedBytes > 0, "tiles should stay in the node's cache after the job");
        // What runs is cluster-config/genoflow.conf, with the node's settings on top.
        Akka.Configuration.Config config = node.System.Settings.Config;
        Assert.Equal(4L << 20, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal("ddata", config.GetString("akka.cluster.sharding.state-store-mode"));
        Assert.False(config.GetBoolean("akka.cluster.sharding.remember-entities"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(2), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(32L << 20, node.Cache.CapacityBytes);
        Assert.Equal(["coordinator", "worker"], config.GetStringList("akka.cluster.roles").Order());
        Assert.IsType<GenoFlow.Engine.Serialization.GenoFlowSerializer>(node.System.Serialization.FindSerializerForType(typeof(GenoFlow.Engine.Tiles.TileEntity.RunTileOperation)));
    }

    [Fact]
    public async Task Three_members_share_the_tiles_and_give_the_in_process_bytes()
    {
        var operations = TestOperations.Registry();
        byte[] expected = await _dataset.InProcessAsync(operations, VariantCountsOperation.WireName);
        var settings = TestCluster.Settings(operations, serializeMessages: false);
        await using IClusterSession first = await ClusterSession.StartEmbeddedAsync(settings);
        await using IClusterSession second = await ClusterSession.StartNodeAsync(settings with { Roles = [GenoFlowRoles.Worker], Host = "127.0.0.1", Port = 0, Seeds = [first.Endpoint] });
        await using IClusterSession third = await ClusterSession.StartNodeAsync(settings with { Roles = [GenoFlowRoles.Worker], Host = "127.0.0.1", Port = 0, Seeds = [first.Endpoint] });
        await first.WaitForWorkersAsync(3, TimeSpan.FromSeconds(20));

        using var all = new MemoryStream();
        JobStatistics statistics = await first.Executor.RunJobAsync(_dataset.Job(VariantCountsOperation.WireName), (_, partial) => all.Write(partial.Span));

        Assert.Equal(expected, all.ToArray());
        IReadOnlyDictionary<string, int> perNode = statistics.UnitsPerNode;
        foreach (IClusterSession node in new[] { first, second, third })
        {
            Assert.True(perNode.GetValueOrDefault(node.Address) >= 1, $"expected {node.Address} to compute at least one tile; per node: {string.Join(", ", perNode.Select(p => $"{p.Key}={p.Value}"))}");
        }
        Assert.Equal(_dataset.Tiles.Count, perNode.Values.Sum());
    }

    [Fact]
    public async Task A_worker_that_leaves_mid_job_has_its_tiles_retried_on_the_remaining_member()
    {
        var operations = TestOperations.Registry();
        byte[] expected = await _dataset.InProcessAsync(operations, VariantCountsOperation.WireName);
        var settings = TestCluster.Settings(operations, serializeMessages: false) with { RequestTimeout = TimeSpan.FromSeconds(2), InFlightPerWorker = 2 };
        using var unanswered = new UnansweredOperation();
        await using IClusterSession survivor = await ClusterSession.StartEmbeddedAsync(settings);
        IClusterSession leaving = await ClusterSession.StartNodeAsync(settings with { Roles = [GenoFlowRoles.Worker], Port = 0, Seeds = [survivor.Endpoint], Operations = new([unanswered]) });
        await survivor.WaitForWorkersAsync(2, TimeSpan.FromSeconds(20));

        using var all = new MemoryStream();
        Task<JobStatistics> job = survivor.Executor.RunJobAsync(_dataset.Job(VariantCountsOperation.WireName), (_, partial) => all.Write(partial.Span));
        await unanswered.Started.WaitAsync(TimeSpan.FromSeconds(20));
        await leaving.DisposeAsync();
        JobStatistics statistics = await job.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(expected, all.ToArray());
        Assert.True(statistics.Timeouts >= 1, "the requests held by the leaving worker should have timed out");
        Assert.Equal([survivor.Address], statistics.UnitsPerNode.Keys);
    }

    [Fact]
    public async Task Coordinator_only_member_runs_jobs_on_the_workers_of_the_cluster_it_joined()
    {
        var operations = TestOperations.Registry();
        byte[] expected = await _dataset.InProcessAsync(operations, VariantCountsOperation.WireName);
        var settings = TestCluster.Settings(operations, serializeMessages: false);
        await using IClusterSession worker = await ClusterSession.StartNodeAsync(settings with { Roles = [GenoFlowRoles.Worker], Port = 0, Seeds = [] });
        await using IClusterSession client = await ClusterSession.JoinAsync([worker.Endpoint], settings);

        using var all = new MemoryStream();
        JobStatistics statistics = await client.Executor.RunJobAsync(_dataset.Job(VariantCountsOperation.WireName), (_, partial) => all.Write(partial.Span));

        Assert.Equal(expected, all.ToArray());
        Assert.Equal([worker.Address], statistics.UnitsPerNode.Keys);
        Assert.Equal([GenoFlowRoles.Coordinator], client.Roles);
    }

    [Fact]
    public async Task A_damaged_tile_fails_the_job_with_a_message_naming_the_tile_file()
    {
        var operations = TestOperations.Registry();
        var damaged = new Analysis.Execution.TileId(3, 1);
        string file = _dataset.TileFile(damaged);
        byte[] bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes);
        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(operations));

        var error = await Assert.ThrowsAsync<JobFailedException>(() => node.Executor.RunJobAsync(_dataset.Job(VariantCountsOperation.WireName), (_, _) => { }));

        Assert.Contains(Path.GetFileName(file), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, node.Executor.LastStatistics!.Retries);
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_fresh_requests_and_the_result_is_unchanged()
    {
        var flaky = new FlakyOperation(failingAttempts: 1);
        var operations = TestOperations.Registry(flaky);
        byte[] expected = await _dataset.InProcessAsync(TestOperations.Registry(), VariantCountsOperation.WireName);
        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(operations));

        using var all = new MemoryStream();
        JobStatistics statistics = await node.Executor.RunJobAsync(_dataset.Job(FlakyOperation.WireName), (_, partial) => all.Write(partial.Span));

        Assert.Equal(expected, all.ToArray());
        Assert.Equal(_dataset.Tiles.Count, statistics.Retries);
        Assert.Equal(2L * _dataset.Tiles.Count, statistics.Requests);
    }

    [Fact]
    public async Task A_tile_that_keeps_failing_fails_the_job_after_the_configured_attempts()
    {
        var operations = TestOperations.Registry(new FlakyOperation(failingAttempts: 5));
        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(operations) with { MaxAttempts = 2 });

        var error = await Assert.ThrowsAsync<JobFailedException>(() => node.Executor.RunJobAsync(_dataset.Job(FlakyOperation.WireName), (_, _) => { }));

        Assert.Contains("after 2 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"^tile (r\d+_b\d+) of .*transient: attempt 2 on \1$", error.Message);
    }

    [Fact]
    public async Task Cancelling_a_running_job_stops_it_with_operation_cancelled()
    {
        using var unanswered = new UnansweredOperation();
        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(new([unanswered])));
        using var cancel = new CancellationTokenSource();

        Task job = node.Executor.RunAsync(_dataset.Job(VariantCountsOperation.WireName), (_, _) => { }, cancellationToken: cancel.Token);
        await unanswered.Started.WaitAsync(TimeSpan.FromSeconds(20));
        await cancel.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.Equal(0, node.Executor.LastStatistics!.Timeouts);
    }

    [Fact]
    public async Task Joining_an_unreachable_seed_fails_within_the_join_timeout_naming_the_seed()
    {
        string seed = $"127.0.0.1:{TestCluster.UnusedPort()}";
        var settings = TestCluster.Settings(TestOperations.Registry()) with { JoinTimeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ClusterJoinException>(() => ClusterSession.JoinAsync([seed], settings));

        Assert.Contains(seed, error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"expected the join to give up shortly after its 2 s timeout, took {clock.Elapsed}");
    }

    public void Dispose() => _dataset.Dispose();

    /// <summary>Reports on the calling thread (System.Progress posts to the thread pool, so the last report could come late).</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
