using System.Globalization;
using System.Text;
using Akka.Configuration;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Jobs;
using GenoFlow.Engine.Storage;

namespace GenoFlow.Engine.Hosting.Internal;

/// <summary>
/// A node's effective configuration: <see cref="ClusterNodeSettings.ExtraHocon"/> over the settings over
/// cluster-config/genoflow.conf. Every value the node uses is read back from <see cref="Config"/>, so the file, the
/// settings and what runs cannot disagree.
/// </summary>
internal sealed record NodeConfig(
    Config Config,
    string SystemName,
    IReadOnlyList<string> Roles,
    string Host,
    int Port,
    IReadOnlyList<string> SeedAddresses,
    BootstrapConfig Bootstrap,
    long CacheBytes,
    long ShardCacheBytes,
    int ShardCount,
    TimeSpan JoinTimeout,
    TimeSpan WorkerWait,
    TimeSpan PassivateIdleAfter,
    ExecutorSettings Executor,
    OperationRegistry Operations,
    NodeRoots Roots,
    string? CertificatePath,
    bool AllowInsecure)
{
    public const string ResourceName = "GenoFlow.Engine.genoflow.conf";

    /// <summary>cluster-config/genoflow.conf as compiled into this assembly.</summary>
    public static Config Base { get; } = LoadBase();

    public bool IsWorker => Roles.Contains(GenoFlowRoles.Worker, StringComparer.Ordinal);

    public static NodeConfig Resolve(ClusterNodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Config config = Base;
        string overrides = Overrides(settings);
        if (overrides.Length > 0)
        {
            config = ConfigurationFactory.ParseString(overrides).WithFallback(config);
        }
        if (!string.IsNullOrWhiteSpace(settings.ExtraHocon))
        {
            config = ConfigurationFactory.ParseString(settings.ExtraHocon).WithFallback(config);
        }
        string systemName = config.GetString("genoflow.cluster.system-name");
        string[] roles = config.GetStringList("genoflow.cluster.roles").ToArray();
        if (roles.Length == 0 || roles.Any(r => r is not (GenoFlowRoles.Worker or GenoFlowRoles.Coordinator)))
        {
            throw new ClusterConfigurationException($"roles must be one or both of {GenoFlowRoles.Worker}, {GenoFlowRoles.Coordinator} (got: {string.Join(",", roles)})");
        }
        string host = config.GetString("akka.remote.dot-netty.tcp.hostname");
        string? certificate = config.GetString("genoflow.cluster.tls.certificate") is { Length: > 0 } path ? path : null;
        bool allowInsecure = config.GetBoolean("genoflow.cluster.tls.allow-insecure");
        if (certificate is null && !allowInsecure && !IsLoopback(host))
        {
            throw new ClusterConfigurationException(
                $"binding {host} without TLS is refused: anyone who reaches the port could join the cluster. Give a certificate from the cluster's CA " +
                "(--cert FILE, genoflow.cluster.tls.certificate; see genoflow cert), or --insecure on a network you trust");
        }
        // Akka's transport turns TLS on from HOCON; the certificate and the peer check come as a setup (GenoFlowNode).
        config = ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp.enable-ssl = {(certificate is null ? "off" : "on")}").WithFallback(config);
        string[] seeds = config.GetStringList("genoflow.cluster.seeds").Select(s => SeedAddress(systemName, s, tls: certificate is not null)).ToArray();
        // Roles and seeds go to Akka's own keys too, from the same values.
        config = ConfigurationFactory.ParseString(
                $"akka.cluster.roles = [{string.Join(", ", roles.Select(Quote))}]\nakka.cluster.seed-nodes = [{string.Join(", ", seeds.Select(Quote))}]")
            .WithFallback(config);
        var bootstrap = BootstrapConfig.Resolve(config, seeds.Length);
        if (bootstrap.Enabled)
        {
            config = config.WithFallback(bootstrap.AkkaSettings(config));
        }
        var executor = new ExecutorSettings(
            config.GetTimeSpan("genoflow.jobs.request-timeout"),
            config.GetInt("genoflow.jobs.max-attempts"),
            config.GetInt("genoflow.jobs.in-flight-per-worker"));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(executor.MaxAttempts, "max-attempts");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(executor.InFlightPerWorker, "in-flight-per-worker");
        var roots = new NodeRoots(
            new DataRoots(config.GetStringList("genoflow.cluster.data-roots").Where(r => r.Length > 0)),
            config.GetString("genoflow.cluster.scratch-root") is { Length: > 0 } scratch
                ? new ScratchRoot(scratch, config.GetTimeSpan("genoflow.cluster.scratch-max-age"))
                : ScratchRoot.None);
        return new NodeConfig(
            config,
            systemName,
            roles,
            host,
            config.GetInt("akka.remote.dot-netty.tcp.port"),
            seeds,
            bootstrap,
            config.GetByteSize("genoflow.cluster.tile-cache-size") ?? throw new ClusterConfigurationException("genoflow.cluster.tile-cache-size is not set"),
            config.GetByteSize("genoflow.cluster.sample-shard-cache-size") ?? throw new ClusterConfigurationException("genoflow.cluster.sample-shard-cache-size is not set"),
            config.GetInt("genoflow.cluster.shard-count"),
            config.GetTimeSpan("genoflow.cluster.join-timeout"),
            config.GetTimeSpan("genoflow.jobs.worker-wait"),
            config.GetTimeSpan("akka.cluster.sharding.passivate-idle-entity-after"),
            executor,
            settings.Operations ?? OperationRegistry.For(roots.Scratch),
            roots,
            certificate,
            allowInsecure);
    }

    /// <summary>Loopback-only binds (the embedded single-node cluster, tests) need no certificate: nothing outside the machine reaches them.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host, out System.Net.IPAddress? address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>
    /// akka.tcp://system@host:port (akka.ssl.tcp:// with TLS) for a seed given as host:port, or already as an address.
    /// </summary>
    public static string SeedAddress(string systemName, string seed, bool tls = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(seed);
        string protocol = tls ? "akka.ssl.tcp://" : "akka.tcp://";
        if (seed.StartsWith("akka.", StringComparison.Ordinal))
        {
            // An address with the other protocol would be retried forever: say so at once.
            return seed.StartsWith(protocol, StringComparison.Ordinal)
                ? seed
                : throw new ClusterConfigurationException($"seed '{seed}' does not use {protocol} (TLS is {(tls ? "on" : "off")} on this node); give it as host:port");
        }
        int colon = seed.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(seed.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new ClusterConfigurationException($"seed '{seed}' is not host:port (e.g. 10.0.0.5:4053)");
        }
        return $"{protocol}{systemName}@{seed[..colon]}:{port}";
    }

    private static string Overrides(ClusterNodeSettings s)
    {
        var hocon = new StringBuilder();
        void Line(string key, string value) => hocon.Append(key).Append(" = ").Append(value).Append('\n');
        if (s.Roles is not null)
        {
            Line("genoflow.cluster.roles", $"[{string.Join(", ", s.Roles.Select(Quote))}]");
        }
        if (s.Seeds is not null)
        {
            Line("genoflow.cluster.seeds", $"[{string.Join(", ", s.Seeds.Select(Quote))}]");
        }
        if (s.BootstrapContactPoints is { Count: > 0 } contactPoints)
        {
            Line("genoflow.cluster.bootstrap.discovery", BootstrapConfig.ConfigDiscovery);
            Line("genoflow.cluster.bootstrap.contact-points", $"[{string.Join(", ", contactPoints.Select(Quote))}]");
        }
        if (s.ManagementPort is { } managementPort)
        {
            Line("genoflow.cluster.bootstrap.management-port", managementPort.ToString(CultureInfo.InvariantCulture));
        }
        if (s.CertificatePath is not null)
        {
            Line("genoflow.cluster.tls.certificate", Quote(s.CertificatePath));
        }
        if (s.AllowInsecure is { } insecure)
        {
            Line("genoflow.cluster.tls.allow-insecure", insecure ? "on" : "off");
        }
        if (s.DataRoots is not null)
        {
            Line("genoflow.cluster.data-roots", $"[{string.Join(", ", s.DataRoots.Select(Quote))}]");
        }
        if (s.ScratchRoot is not null)
        {
            Line("genoflow.cluster.scratch-root", Quote(s.ScratchRoot));
        }
        if (s.Host is not null)
        {
            Line("akka.remote.dot-netty.tcp.hostname", Quote(s.Host));
        }
        if (s.Port is { } port)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(port, nameof(s.Port));
            Line("akka.remote.dot-netty.tcp.port", port.ToString(CultureInfo.InvariantCulture));
        }
        if (s.CacheBytes is { } bytes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(bytes, nameof(s.CacheBytes));
            Line("genoflow.cluster.tile-cache-size", bytes.ToString(CultureInfo.InvariantCulture) + "b");
        }
        if (s.ShardCacheBytes is { } shardBytes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(shardBytes, nameof(s.ShardCacheBytes));
            Line("genoflow.cluster.sample-shard-cache-size", shardBytes.ToString(CultureInfo.InvariantCulture) + "b");
        }
        if (s.ShardCount is { } shards)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shards, nameof(s.ShardCount));
            Line("genoflow.cluster.shard-count", shards.ToString(CultureInfo.InvariantCulture));
        }
        if (s.JoinTimeout is { } join)
        {
            Line("genoflow.cluster.join-timeout", Duration(join));
        }
        if (s.RequestTimeout is { } request)
        {
            Line("genoflow.jobs.request-timeout", Duration(request));
        }
        if (s.MaxAttempts is { } attempts)
        {
            Line("genoflow.jobs.max-attempts", attempts.ToString(CultureInfo.InvariantCulture));
        }
        if (s.InFlightPerWorker is { } inFlight)
        {
            Line("genoflow.jobs.in-flight-per-worker", inFlight.ToString(CultureInfo.InvariantCulture));
        }
        if (s.StableAfter is { } stable)
        {
            Line("akka.cluster.split-brain-resolver.stable-after", Duration(stable));
        }
        return hocon.ToString();
    }

    private static string Duration(TimeSpan t)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero);
        return ((long)Math.Ceiling(t.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static Config LoadBase()
    {
        using Stream stream = typeof(NodeConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"GenoFlow.Engine was built without its {ResourceName} resource (cluster-config/genoflow.conf)");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
