using System.Text;
using System.Threading.Channels;
using Akka.Actor;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Entities;
using GenoFlow.Engine.Jobs;
using GenoFlow.Engine.Storage;
using GenoFlow.Engine.Tests.Support;
using GenoFlow.Engine.Tiles;

namespace GenoFlow.Engine.Tests.Jobs;

/// <summary>The coordinator against a test probe standing in for the tile shard region, so every reply order is chosen by the test.</summary>
public sealed class JobCoordinatorTests : SerializingTestKit
{
    private static readonly TileJob Job = new(new DatasetRef("/data/cohort", "0123456789abcdef"), "test.op/1", [new(0, 0), new(0, 1), new(1, 0)], t => new[] { (byte)(10 + t.Block) });

    [Fact]
    public async Task Late_and_duplicate_replies_are_ignored_and_a_timed_out_tile_is_retried_with_a_fresh_request_id()
    {
        var tiles = CreateTestProbe();
        var (coordinator, output, statistics) = Start(tiles.Ref, TimeSpan.FromMilliseconds(400), maxAttempts: 3, window: 2);

        var first = tiles.ExpectMsg<TileEntity.RunTileOperation>();
        var second = tiles.ExpectMsg<TileEntity.RunTileOperation>();
        Assert.Equal((new TileId(0, 0), new TileId(0, 1)), (first.Tile, second.Tile));
        Assert.Equal("0123456789abcdef/0/1", second.EntityId);
        Assert.Equal(new byte[] { 11 }, second.Input.ToArray());
        Assert.NotEqual(first.RequestId, second.RequestId);

        Reply(coordinator, second, "B");
        Reply(coordinator, second, "B-duplicate");
        // The window (2) is full until tile (0,0) is handed on, so the next request is the retry of (0,0), not tile (1,0).
        var retry = tiles.ExpectMsg<TileEntity.RunTileOperation>(TimeSpan.FromSeconds(10));
        Assert.Equal(first.Tile, retry.Tile);
        Assert.DoesNotContain(retry.RequestId, new[] { first.RequestId, second.RequestId });
        Reply(coordinator, first, "A-late");
        Reply(coordinator, retry, "A");
        var third = tiles.ExpectMsg<TileEntity.RunTileOperation>();
        Assert.Equal(new TileId(1, 0), third.Tile);
        Reply(coordinator, third, "C");

        var handedOn = new List<(TileId, string)>();
        await foreach (var tile in output.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            handedOn.Add((Job.Tiles[tile.Index], Encoding.ASCII.GetString(tile.Partial.Span)));
        }
        Assert.Equal([(new TileId(0, 0), "A"), (new TileId(0, 1), "B"), (new TileId(1, 0), "C")], handedOn);
        Assert.Equal((4L, 1L, 1L, 2L), (statistics.Requests, statistics.Retries, statistics.Timeouts, statistics.IgnoredReplies));
        Assert.Equal("node-A", statistics.ComputedBy[0]);
    }

    [Fact]
    public async Task A_permanent_failure_fails_the_job_without_retrying()
    {
        var tiles = CreateTestProbe();
        var (coordinator, output, statistics) = Start(tiles.Ref, TimeSpan.FromSeconds(30), maxAttempts: 3, window: 1);

        var first = tiles.ExpectMsg<TileEntity.RunTileOperation>();
        coordinator.Tell(new OperationFailed(first.RequestId, first.JobId, "tile r0_b0 of /data/cohort on n1: /data/cohort/g1/tiles/r000000_b0000.parquet: checksum mismatch", Permanent: true), tiles.Ref);

        var error = await Assert.ThrowsAsync<JobFailedException>(() => output.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("r000000_b0000.parquet: checksum mismatch", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, statistics.Retries);
    }

    [Fact]
    public async Task A_tile_without_replies_fails_the_job_after_max_attempts_naming_the_tile()
    {
        var tiles = CreateTestProbe();
        var (coordinator, output, statistics) = Start(tiles.Ref, TimeSpan.FromMilliseconds(200), maxAttempts: 2, window: 1);

        var first = tiles.ExpectMsg<TileEntity.RunTileOperation>();
        var second = tiles.ExpectMsg<TileEntity.RunTileOperation>(TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<JobFailedException>(() => output.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(first.Tile, second.Tile);
        Assert.StartsWith("tile r0_b0 of /data/cohort failed after 2 attempt(s); last: no reply within 0.2 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, statistics.Timeouts);
    }

    [Fact]
    public async Task Cancelling_with_requests_in_flight_completes_the_output_cancelled_and_stops_the_coordinator()
    {
        var tiles = CreateTestProbe();
        var (coordinator, output, _) = Start(tiles.Ref, TimeSpan.FromSeconds(30), maxAttempts: 3, window: 2);
        tiles.ExpectMsg<TileEntity.RunTileOperation>();
        tiles.ExpectMsg<TileEntity.RunTileOperation>();

        Watch(coordinator);

        // Outside a cluster there are no workers to tell; the coordinator must still stop cleanly.
        coordinator.Tell(JobCoordinator.Cancel.Instance);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => output.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        ExpectTerminated(coordinator, TimeSpan.FromSeconds(10));
    }

    private (IActorRef Coordinator, Channel<JobCoordinator.ReduciblePartial> Output, JobStatistics Statistics) Start(IActorRef tiles, TimeSpan timeout, int maxAttempts, int window)
    {
        var output = Channel.CreateUnbounded<JobCoordinator.ReduciblePartial>();
        var statistics = new JobStatistics("job-1");
        var coordinator = Sys.ActorOf(JobCoordinator.Create(new JobCoordinator.Settings(timeout, maxAttempts, window)));
        coordinator.Tell(new JobCoordinator.Start("job-1", JobPlan.ForTiles(Job, tiles, new DataRoots(["/data"])), output.Writer, statistics));
        return (coordinator, output, statistics);
    }

    private static void Reply(IActorRef coordinator, TileEntity.RunTileOperation request, string tag) =>
        coordinator.Tell(new OperationCompleted(request.RequestId, request.JobId, Encoding.ASCII.GetBytes(tag), "node-" + tag.Split('-')[0]), ActorRefs.NoSender);
}
