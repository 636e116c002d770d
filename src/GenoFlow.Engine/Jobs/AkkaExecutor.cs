using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Storage;

namespace GenoFlow.Engine.Jobs;

/// <summary>
/// Runs tile and sample-shard jobs on the cluster: one <see cref="JobCoordinator"/> actor per job scatters the units to
/// their shard region and hands the partials back in unit order; <c>reduce</c> runs on the caller's async flow, one
/// unit at a time.
/// </summary>
public sealed class AkkaExecutor : IJobExecutor
{
    private readonly ActorSystem _system;
    private readonly IActorRef _tiles;
    private readonly IActorRef _shards;
    private readonly ExecutorSettings _settings;
    private readonly NodeRoots _roots;

    /// <param name="tiles">The tile shard region (or its proxy on a coordinator-only node).</param>
    /// <param name="shards">The sample-shard shard region (or its proxy).</param>
    /// <param name="roots">This node's data and scratch roots: messages name datasets and shard sets relative to them.</param>
    public AkkaExecutor(ActorSystem system, IActorRef tiles, IActorRef shards, ExecutorSettings settings, NodeRoots roots)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(roots);
        _system = system;
        _tiles = tiles;
        _shards = shards;
        _settings = settings;
        _roots = roots;
    }

    public ScratchRoot Scratch => _roots.Scratch;

    /// <summary>The jobs this executor runs now, with their progress (for <c>genoflow status</c>).</summary>
    public RunningJobs Running { get; } = new();

    /// <summary>Statistics of the last job this executor finished (successfully or not); null before the first.</summary>
    public JobStatistics? LastStatistics { get; private set; }

    public async Task<JobSummary> RunAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        (await RunJobAsync(job, reduce, progress, cancellationToken)).Summary();

    public async Task<JobSummary> RunAsync(SampleShardJob job, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(reduce);
        return (await RunPlanAsync(JobPlan.ForShards(job, _shards, _roots.Scratch), JobSummary.SampleShards, reduce, progress, cancellationToken)).Summary();
    }

    /// <summary>Runs <paramref name="job"/> like <see cref="RunAsync(TileJob, Action{TileId, ReadOnlyMemory{byte}}, IProgress{double}?, CancellationToken)"/> and returns what happened on the cluster.</summary>
    /// <exception cref="JobFailedException">A tile failed permanently or ran out of attempts.</exception>
    public Task<JobStatistics> RunJobAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(reduce);
        return RunPlanAsync(JobPlan.ForTiles(job, _tiles, _roots.Data), JobSummary.Tiles, (i, partial) => reduce(job.Tiles[i], partial), progress, cancellationToken);
    }

    private async Task<JobStatistics> RunPlanAsync(JobPlan plan, string units, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string jobId = Guid.NewGuid().ToString("N");
        var statistics = new JobStatistics(jobId, units);
        var output = Channel.CreateUnbounded<JobCoordinator.ReduciblePartial>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var settings = new JobCoordinator.Settings(_settings.RequestTimeout, _settings.MaxAttempts, Window());
        IActorRef coordinator = _system.ActorOf(JobCoordinator.Create(settings), "job-" + jobId);
        coordinator.Tell(new JobCoordinator.Start(jobId, plan, output.Writer, statistics));
        bool finished = false;
        using RunningJobs.Entry running = Running.Start(jobId, plan.Operation, units, plan.Count);
        try
        {
            using CancellationTokenRegistration cancel = cancellationToken.Register(() => coordinator.Tell(JobCoordinator.Cancel.Instance));
            int done = 0;
            await foreach (JobCoordinator.ReduciblePartial unit in output.Reader.ReadAllAsync(CancellationToken.None))
            {
                reduce(unit.Index, unit.Partial);
                running.UnitDone();
                progress?.Report(plan.Count == 0 ? 1.0 : (double)++done / plan.Count);
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
