using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Hosting;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Dsl;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Engine.Hosting.Internal;
using GenoFlow.Engine.Jobs;
using GenoFlow.Engine.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GenoFlow.Engine.Hosting;

/// <summary>Starts GenoFlow cluster members: the API the CLI's <c>node</c> command and <c>--cluster</c> option use.</summary>
public static class ClusterSession
{
    /// <summary>
    /// A one-node cluster in this process (roles worker and coordinator, 127.0.0.1, any free port unless
    /// <paramref name="settings"/> say otherwise), joined to itself: what job commands use without --cluster. Unless
    /// the settings name data roots, its data root is the filesystem root, so a local dataset anywhere can be used:
    /// the node listens on loopback only and lives as long as the command.
    /// </summary>
    public static Task<IClusterSession> StartEmbeddedAsync(ClusterNodeSettings? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= new ClusterNodeSettings();
        return StartAsync(settings with
        {
            Roles = settings.Roles ?? [GenoFlowRoles.Worker, GenoFlowRoles.Coordinator],
            Host = settings.Host ?? "127.0.0.1",
            Port = settings.Port ?? 0,
            Seeds = [],
            DataRoots = settings.DataRoots ?? [Path.GetPathRoot(Path.GetFullPath("."))!],
            ExtraHocon = EmbeddedTuning + "\n" + settings.ExtraHocon,
        }, cancellationToken);
    }

    /// <summary>
    /// A cluster of one has no network to spare: short gossip and leader intervals let it come up and leave in a
    /// fraction of a second instead of about two (measured on a small QC job: 2.1 s → 1.3 s end to end).
    /// </summary>
    private const string EmbeddedTuning = """
        akka.cluster.gossip-interval = 200ms
        akka.cluster.leader-actions-interval = 200ms
        akka.cluster.unreachable-nodes-reaper-interval = 200ms
        akka.cluster.periodic-tasks-initial-delay = 0s
        akka.cluster.sharding.retry-interval = 200ms
        akka.cluster.singleton.hand-over-retry-interval = 200ms
        """;

    /// <summary>
    /// Joins an existing cluster at <paramref name="seeds"/> (host:port) as a coordinator-only member, to run jobs on its
    /// workers (<c>--cluster H:P</c>). Throws <see cref="ClusterJoinException"/> when it is not a member within the join timeout.
    /// </summary>
    public static Task<IClusterSession> JoinAsync(IReadOnlyList<string> seeds, ClusterNodeSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("at least one seed (host:port) is needed to join a cluster", nameof(seeds));
        }
        settings ??= new ClusterNodeSettings();
        return StartAsync(settings with { Roles = [GenoFlowRoles.Coordinator], Seeds = seeds, Port = settings.Port ?? 0 }, cancellationToken);
    }

    /// <summary>
    /// A cluster member as <paramref name="settings"/> describe it (<c>genoflow node</c>): with seeds it joins them,
    /// without it starts a new cluster with itself as the seed. Returns once the node is Up.
    /// </summary>
    public static Task<IClusterSession> StartNodeAsync(ClusterNodeSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return StartAsync(settings, cancellationToken);
    }

    /// <summary>
    /// Runs a member until <paramref name="cancellationToken"/> is cancelled, the process gets Ctrl-C or SIGTERM, or
    /// the member is removed from the cluster; then leaves the cluster gracefully.
    /// </summary>
    public static async Task RunNodeAsync(ClusterNodeSettings settings, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        await using IClusterSession session = await StartNodeAsync(settings, stop.Token);
        try
        {
            await session.Terminated.WaitAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Asked to stop: disposing the session leaves the cluster.
        }
    }

    private static async Task<IClusterSession> StartAsync(ClusterNodeSettings settings, CancellationToken cancellationToken)
    {
        NodeConfig node = NodeConfig.Resolve(settings);
        // Job areas whose coordinator died (a killed job) go before this node adds to the scratch root.
        node.Roots.Scratch.CollectAbandoned();
        ClusterTls? tls = node.CertificatePath is null ? null : ClusterTls.Load(node.CertificatePath);
        if (tls is null && !NodeConfig.IsLoopback(node.Host))
        {
            // Allowed only with allow-insecure (NodeConfig refuses otherwise); said at every start so it is not forgotten.
            Console.Error.WriteLine($"genoflow: warning: {node.Host}:{node.Port} runs WITHOUT TLS (--insecure): any process that reaches it can join the cluster, read results and send work");
        }
        var cache = new TileCache(node.CacheBytes);
        var shards = new SampleShardCache(node.ShardCacheBytes, cache);
        IHost host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka(node.SystemName, builder => GenoFlowNode.Configure(builder, node, cache, shards, tls)))
            .Build();
        try
        {
            await host.StartAsync(cancellationToken);
            ActorSystem system = host.Services.GetRequiredService<ActorSystem>();
            var cluster = Akka.Cluster.Cluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            if (node.Bootstrap.Enabled)
            {
                // This node's endpoint serves the route the other nodes probe; bootstrap then joins or forms the cluster.
                BootstrapEndpoint endpoint = BootstrapEndpoint.Start(system, node.Host, node.Bootstrap.ManagementPort);
                system.RegisterOnTermination(endpoint.Dispose);
                ClusterBootstrap bootstrap = ClusterBootstrap.Get(system);
                // Hands bootstrap its own contact point, as Akka.Management's server does when it binds the route.
                bootstrap.Routes(ManagementRouteProviderSettings.Create(endpoint.BaseUri, readOnly: true));
                await bootstrap.Start();
            }
            else if (node.SeedAddresses.Count == 0)
            {
                cluster.Join(cluster.SelfAddress);
            }
            string seeds = node.Bootstrap.Enabled
                ? $"the contact points found by {node.Bootstrap.Discovery} discovery ({string.Join(", ", node.Bootstrap.ContactPoints)})"
                : node.SeedAddresses.Count == 0 ? cluster.SelfAddress.ToString() : string.Join(", ", node.SeedAddresses);
            using var joining = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                // With TLS, seeds whose certificates this member refuses end the wait at once, with the reason.
                Task<string> refused = tls is not null && !node.Bootstrap.Enabled && node.SeedAddresses.Count > 0
                    ? tls.WhenAllRefusedAsync(node.SeedAddresses, joining.Token)
                    : new TaskCompletionSource<string>().Task;
                if (await Task.WhenAny(up.Task, refused).WaitAsync(node.JoinTimeout, cancellationToken) == refused)
                {
                    throw new ClusterJoinException($"could not join the GenoFlow cluster at {seeds}: {await refused}; the CA in {tls!.Path} did not issue the seeds' certificates: give a certificate from the cluster's CA with --cert");
                }
            }
            catch (TimeoutException e)
            {
                string credentials = tls is null
                    ? "if the cluster runs TLS, give a certificate from its CA with --cert"
                    : $"does it accept {tls.Certificate.Subject} from {tls.Path} (see its log)";
                throw new ClusterJoinException($"could not join the GenoFlow cluster at {seeds} within {node.JoinTimeout.TotalSeconds:0.#} s; is a node running there and reachable from {cluster.SelfAddress.Host}? ({credentials})", e);
            }
            finally
            {
                await joining.CancelAsync();
            }
            ActorRegistry registry = host.Services.GetRequiredService<ActorRegistry>();
            IActorRef tiles = await registry.GetAsync<TileRegion>(cancellationToken);
            IActorRef sampleShards = await registry.GetAsync<SampleShardRegion>(cancellationToken);
            var session = new HostedClusterSession(host, system, tiles, sampleShards, node, cache, tls);
            if (node.Roles.Contains(GenoFlowRoles.Coordinator, StringComparer.Ordinal))
            {
                // Where `genoflow status` finds the jobs this process runs.
                system.ActorOf(JobRegistry.Create(session.Executor.Running), JobRegistry.Name);
            }
            return session;
        }
        catch
        {
            using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                await host.StopAsync(stopping.Token);
            }
            host.Dispose();
            tls?.Dispose();
            throw;
        }
    }
}
