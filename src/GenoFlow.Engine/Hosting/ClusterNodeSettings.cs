using GenoFlow.Analysis.Execution;

namespace GenoFlow.Engine.Hosting;

/// <summary>
/// One node's settings. Every value left null comes from cluster-config/genoflow.conf (compiled into GenoFlow.Engine);
/// a value set here overrides the file.
/// </summary>
public sealed record ClusterNodeSettings
{
    /// <summary>Roles (<see cref="GenoFlowRoles"/>); null: genoflow.cluster.roles.</summary>
    public IReadOnlyList<string>? Roles { get; init; }

    /// <summary>Host name or address to bind and advertise; null: akka.remote.dot-netty.tcp.hostname.</summary>
    public string? Host { get; init; }

    /// <summary>Port to bind (0 = any free port); null: akka.remote.dot-netty.tcp.port.</summary>
    public int? Port { get; init; }

    /// <summary>Seed nodes as host:port; null: genoflow.cluster.seeds. Empty: this node starts a new cluster.</summary>
    public IReadOnlyList<string>? Seeds { get; init; }

    /// <summary>
    /// Every node's management endpoint as host:port: join by Cluster Bootstrap with config discovery instead of seeds;
    /// null or empty: genoflow.cluster.bootstrap.
    /// </summary>
    public IReadOnlyList<string>? BootstrapContactPoints { get; init; }

    /// <summary>This node's Akka.Management HTTP port (bootstrap only); null: genoflow.cluster.bootstrap.management-port.</summary>
    public int? ManagementPort { get; init; }

    /// <summary>Tile cache capacity in bytes; null: genoflow.cluster.tile-cache-size.</summary>
    public long? CacheBytes { get; init; }

    /// <summary>Sample shard cache capacity in bytes; null: genoflow.cluster.sample-shard-cache-size.</summary>
    public long? ShardCacheBytes { get; init; }

    /// <summary>Tile shard count, the same on every member; null: genoflow.cluster.shard-count.</summary>
    public int? ShardCount { get; init; }

    /// <summary>null: genoflow.jobs.request-timeout.</summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>null: genoflow.jobs.max-attempts.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>null: genoflow.jobs.in-flight-per-worker.</summary>
    public int? InFlightPerWorker { get; init; }

    /// <summary>How long to wait to become a member; null: genoflow.cluster.join-timeout.</summary>
    public TimeSpan? JoinTimeout { get; init; }

    /// <summary>Split-brain resolver stable-after; null: akka.cluster.split-brain-resolver.stable-after.</summary>
    public TimeSpan? StableAfter { get; init; }

    /// <summary>
    /// Directories this node opens datasets under (messages name a dataset relative to one of them); null:
    /// genoflow.cluster.data-roots. The embedded node takes the filesystem root when left null.
    /// </summary>
    public IReadOnlyList<string>? DataRoots { get; init; }

    /// <summary>Directory of job scratch areas, on a filesystem every node sees; null: genoflow.cluster.scratch-root.</summary>
    public string? ScratchRoot { get; init; }

    /// <summary>Tile operations this node runs; null: every GenoFlow operation (<see cref="OperationRegistry.For"/> the scratch root).</summary>
    public OperationRegistry? Operations { get; init; }

    /// <summary>
    /// PKCS#12 bundle from <c>genoflow cert issue</c> (member certificate, key, cluster CA): turns on mutual TLS;
    /// null: genoflow.cluster.tls.certificate.
    /// </summary>
    public string? CertificatePath { get; init; }

    /// <summary>Allows binding a non-loopback address without TLS; null: genoflow.cluster.tls.allow-insecure.</summary>
    public bool? AllowInsecure { get; init; }

    /// <summary>HOCON applied over everything else (tests shorten gossip and failure-detector intervals with it).</summary>
    public string? ExtraHocon { get; init; }
}
