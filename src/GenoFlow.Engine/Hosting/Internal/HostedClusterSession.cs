using Akka.Actor;
using Akka.Cluster.Sharding;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Jobs;
using GenoFlow.Engine.Security;
using Microsoft.Extensions.Hosting;

namespace GenoFlow.Engine.Hosting.Internal;

internal sealed class HostedClusterSession(IHost host, ActorSystem system, IActorRef tiles, IActorRef shards, NodeConfig node, TileCache cache, ClusterTls? tls) : IClusterSession
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public AkkaExecutor Executor { get; } = new(system, tiles, shards, node.Executor, node.Roots);

    public string Address { get; } = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();

    public string Endpoint { get; } = $"{Akka.Cluster.Cluster.Get(system).SelfAddress.Host}:{Akka.Cluster.Cluster.Get(system).SelfAddress.Port}";

    public IReadOnlyList<string> Roles => node.Roles;

    public TileCache Cache => cache;

    public TimeSpan WorkerWait => node.WorkerWait;

    public ActorSystem System => system;

    public Task Terminated => system.WhenTerminated;

    public async Task<ClusterStatus> StatusAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // The coordinators give every region `timeout` to answer; the ask allows for that and the round trips.
        var tileStats = await tiles.Ask<ClusterShardingStats>(new GetClusterShardingStats(timeout), timeout + timeout, cancellationToken);
        var shardStats = await shards.Ask<ClusterShardingStats>(new GetClusterShardingStats(timeout), timeout + timeout, cancellationToken);
        var state = Akka.Cluster.Cluster.Get(system).State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        static (int Shards, int Entities) Hosted(ClusterShardingStats stats, Address address) =>
            stats.Regions.TryGetValue(address, out ShardRegionStats? region) ? (region.Stats.Count, region.Stats.Values.Sum()) : (0, 0);
        var members = state.Members
            .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m =>
            {
                var (tileShards, tileEntities) = Hosted(tileStats, m.Address);
                var (sampleShards, sampleEntities) = Hosted(shardStats, m.Address);
                return new ClusterMemberStatus(m.Address.ToString(), [.. m.Roles.Order(StringComparer.Ordinal)], m.Status.ToString(), !unreachable.Contains(m.Address),
                    tileShards, tileEntities, sampleShards, sampleEntities);
            })
            .ToList();
        return new ClusterStatus(members, await RunningJobsAsync(state, unreachable, timeout, cancellationToken));
    }

    /// <summary>
    /// Every reachable coordinator's running jobs, this process's own included. A coordinator that does not answer in
    /// time (a job client that is just ending) is left out rather than failing the whole status.
    /// </summary>
    private async Task<IReadOnlyList<ClusterJobStatus>> RunningJobsAsync(Akka.Cluster.ClusterEvent.CurrentClusterState state, HashSet<Address> unreachable, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var coordinators = state.Members
            .Where(m => m.HasRole(GenoFlowRoles.Coordinator) && m.Status == Akka.Cluster.MemberStatus.Up && !unreachable.Contains(m.Address))
            .Select(m => m.Address)
            .ToList();
        var reports = await Task.WhenAll(coordinators.Select(async address =>
        {
            try
            {
                var report = await system.ActorSelection(address + JobRegistry.Path).Ask<JobRegistry.JobsReport>(JobRegistry.ListJobs.Instance, timeout, cancellationToken);
                return report.Jobs.Select(j => new ClusterJobStatus(address.ToString(), j.JobId, j.Kind, j.Units, j.Done, j.Total, j.Started));
            }
            catch (AskTimeoutException)
            {
                return [];
            }
        }));
        return [.. reports.SelectMany(r => r).OrderBy(j => j.Started).ThenBy(j => j.JobId, StringComparer.Ordinal)];
    }

    public async Task WaitForWorkersAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        int seen = 0;
        string last = "no reply yet";
        while (true)
        {
            try
            {
                // Both entity kinds: a shard coordinator only spreads new shards over the regions it knows.
                var tileRegions = await tiles.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(2), deadline.Token);
                var shardRegions = await shards.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(2), deadline.Token);
                seen = Math.Min(tileRegions.Regions.Count, shardRegions.Regions.Count);
                last = $"tile regions: {string.Join(", ", tileRegions.Regions)}; sample-shard regions: {string.Join(", ", shardRegions.Regions)}";
                if (seen >= count)
                {
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or AskTimeoutException && !cancellationToken.IsCancellationRequested)
            {
                last = e.GetType().Name + ": " + e.Message;
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException($"expected {count} worker region(s) registered with the tile and sample-shard coordinators within {timeout.TotalSeconds:0.#} s; saw {seen} ({last})");
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Akka.Hosting runs coordinated shutdown: the member leaves, its shards are handed off, the system stops.
        using (var stopping = new CancellationTokenSource(StopTimeout))
        {
            await host.StopAsync(stopping.Token);
        }
        host.Dispose();
        tls?.Dispose();
    }
}
