using System.Net;
using System.Net.Sockets;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Hosting;

namespace GenoFlow.Engine.Tests.Support;

internal static class TestCluster
{
    /// <summary>
    /// Every local message also goes through its serializer. Only for single-member clusters: with several members,
    /// Akka.DistributedData's local ReadRepair message (sharding's ddata state store) has no serializer and the check
    /// breaks the shard coordinator. Multi-member tests need no such check: their messages cross real TCP.
    /// Akka's verification also serialises its local-only internal messages (cluster subscriptions, child stops), which
    /// it does through the JSON fallback that GenoFlow refuses on the wire; for this local check only, the fallback is
    /// Akka's own again. GenoFlow's messages still go through GenoFlowSerializer (their binding is more specific).
    /// </summary>
    public const string SerializeMessages = """
        akka.actor.serialize-messages = on
        akka.actor.serializers.json = "Akka.Serialization.NewtonSoftJsonSerializer, Akka"

        """;

    /// <summary>Short cluster intervals so tests stay fast.</summary>
    public const string FastHocon = """
        akka.cluster.gossip-interval = 200ms
        akka.cluster.leader-actions-interval = 200ms
        akka.cluster.periodic-tasks-initial-delay = 100ms
        akka.cluster.sharding.retry-interval = 200ms
        akka.cluster.sharding.coordinator-failure-backoff = 500ms
        akka.cluster.sharding.rebalance-interval = 1s
        akka.cluster.seed-node-timeout = 1s
        akka.cluster.retry-unsuccessful-join-after = 1s
        """;

    /// <summary>
    /// The data root of every test node: the system temp folder, under which every <see cref="TestDataset"/> lives.
    /// </summary>
    public static string DataRoot { get; } = Path.TrimEndingDirectorySeparator(Path.GetTempPath());

    /// <summary>The scratch root of every test node of this process (shard sets live in its job areas), removed when the process exits.</summary>
    public static ScratchRoot Scratch { get; } = CreateScratch();

    public static ClusterNodeSettings Settings(OperationRegistry operations, bool serializeMessages = true) => new()
    {
        Operations = operations,
        DataRoots = [DataRoot],
        ScratchRoot = Scratch.Path,
        CacheBytes = 32L << 20,
        RequestTimeout = TimeSpan.FromSeconds(10),
        MaxAttempts = 3,
        JoinTimeout = TimeSpan.FromSeconds(20),
        StableAfter = TimeSpan.FromSeconds(2),
        ExtraHocon = (serializeMessages ? SerializeMessages : "") + FastHocon,
    };

    private static ScratchRoot CreateScratch()
    {
        string path = Path.Join(Path.GetTempPath(), $"genoflow-engine-tests-scratch-{Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        };
        return new ScratchRoot(path);
    }

    /// <summary>A loopback port nothing listens on (bound, read, released).</summary>
    public static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "real clusters on loopback";
}
