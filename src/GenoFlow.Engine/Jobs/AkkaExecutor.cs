using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using GenoFlow.Analysis.Execution;

namespace GenoFlow.Engine.Jobs;

/// <summary>
/// Runs tile jobs on the cluster: one <see cref="JobCoordinator"/> actor per job scatters the tiles to the tile shard
/// region and hands the partials back in tile order; <c>reduce</c> runs on the caller's async flow, one tile at a time.
/// </summary>
public sealed class AkkaExecutor : IJobExecutor
{
    private readonly ActorSystem _system;
    private readonly IActorRef _tiles;
    private readonly ExecutorSettings _settings;

    public AkkaExecutor(ActorSystem system, IActorRef tiles, ExecutorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(settings);
        _system = system;
        _tiles = tiles;
        _settings = settings;
    }

    /// <summary>Statistics of the last job this executor finished (successfully or not); null before the first.</summary>
    public JobStatistics? LastStatistics { get; private set; }

    public async Task RunAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        await RunJobAsync(job, reduce, progress, cancellationToken);

    /// <summary>Sample-shard jobs on the cluster arrive in the next commit (sharded sample-shard entities).</summary>
    public Task RunAsync(SampleShardJob job, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("sample-shard jobs are not wired to the cluster yet");

    /// <summary>Runs <paramref name="job"/> like <see cref="RunAsync"/> and returns what happened on the cluster.</summary>
    /// <exception cref="TileJobException">A tile failed permanently or ran out of attempts.</exception>
    public async Task<JobStatistics> RunJobAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(reduce);
        cancellationToken.ThrowIfCancellationRequested();
        string jobId = Guid.NewGuid().ToString("N");
        var statistics = new JobStatistics(jobId);
        var output = Channel.CreateUnbounded<JobCoordinator.ReducibleTile>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var settings = new JobCoordinator.Settings(_tiles, _settings.RequestTimeout, _settings.MaxAttempts, Window());
        IActorRef coordinator = _system.ActorOf(JobCoordinator.Create(settings), "job-" + jobId);
        coordinator.Tell(new JobCoordinator.Start(jobId, job, output.Writer, statistics));
        bool finished = false;
        try
        {
            using CancellationTokenRegistration cancel = cancellationToken.Register(() => coordinator.Tell(JobCoordinator.Cancel.Instance));
            int done = 0;
            await foreach (JobCoordinator.ReducibleTile tile in output.Reader.ReadAllAsync(CancellationToken.None))
            {
                reduce(tile.Tile, tile.Partial);
                progress?.Report(job.Tiles.Count == 0 ? 1.0 : (double)++done / job.Tiles.Count);
            }
            finished = true;
            return statistics;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            finished = true;
            throw new OperationCanceledException($"job {jobId} was cancelled", cancellationToken);
        }
        finally
        {
            if (!finished)
            {
                // reduce threw: stop scattering.
                coordinator.Tell(JobCoordinator.Cancel.Instance);
            }
            LastStatistics = statistics;
        }
    }

    /// <summary>Requests in flight: per-worker window times the workers that are up (at least one).</summary>
    private int Window()
    {
        int workers = Cluster.Get(_system).State.Members.Count(m => m.Status == MemberStatus.Up && m.HasRole(GenoFlowRoles.Worker));
        return Math.Max(1, workers) * _settings.InFlightPerWorker;
    }
}
