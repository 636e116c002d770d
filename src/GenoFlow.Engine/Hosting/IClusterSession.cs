using Akka.Actor;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Jobs;

namespace GenoFlow.Engine.Hosting;

/// <summary>
/// A running GenoFlow cluster member. Disposing it leaves the cluster gracefully (coordinated shutdown: shards are
/// handed off, the member is removed) and stops the actor system.
/// </summary>
public interface IClusterSession : IAsyncDisposable
{
    /// <summary>Runs tile and sample-shard jobs on the cluster (needs the "coordinator" role).</summary>
    AkkaExecutor Executor { get; }

    /// <summary>This node's address, e.g. akka.tcp://genoflow@127.0.0.1:4053.</summary>
    string Address { get; }

    /// <summary>This node's host:port, the form --seed and --cluster take.</summary>
    string Endpoint { get; }

    IReadOnlyList<string> Roles { get; }

    /// <summary>This node's tile cache (one per actor system).</summary>
    TileCache Cache { get; }

    ActorSystem System { get; }

    /// <summary>Completes when the actor system has terminated (left the cluster, was downed, or was disposed).</summary>
    Task Terminated { get; }

    /// <summary>
    /// The cluster's members as this member sees them, with the tile and sample-shard shards and entities each hosts
    /// (asked of the shard coordinators, which ask every region; <see cref="AskTimeoutException"/> after <paramref name="timeout"/>).
    /// </summary>
    Task<ClusterStatus> StatusAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>How long a job waits for its minimum number of workers (genoflow.jobs.worker-wait).</summary>
    TimeSpan WorkerWait { get; }

    /// <summary>
    /// Waits until the tile and sample-shard coordinators know <paramref name="count"/> worker regions each, so that new shards are
    /// spread over all of them. Throws <see cref="TimeoutException"/> naming how many it saw.
    /// </summary>
    Task WaitForWorkersAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default);
}
