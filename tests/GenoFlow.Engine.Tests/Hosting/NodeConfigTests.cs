using GenoFlow.Engine.Hosting;
using GenoFlow.Engine.Hosting.Internal;

namespace GenoFlow.Engine.Tests.Hosting;

public sealed class NodeConfigTests
{
    [Fact]
    public void Defaults_come_from_cluster_config_genoflow_conf()
    {
        NodeConfig node = NodeConfig.Resolve(new ClusterNodeSettings());

        Assert.Equal("genoflow", node.SystemName);
        Assert.Equal([GenoFlowRoles.Worker], node.Roles);
        Assert.Empty(node.SeedAddresses);
        Assert.Equal(100, node.ShardCount);
        Assert.Equal(256L << 20, node.CacheBytes);
        Assert.Equal(TimeSpan.FromSeconds(20), node.JoinTimeout);
        Assert.Equal(new GenoFlow.Engine.Jobs.ExecutorSettings(TimeSpan.FromSeconds(60), 3, 4), node.Executor);
        Assert.Equal(TimeSpan.FromSeconds(20), node.Config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        // Job clients (coordinator-only) never count in the resolver's majority.
        Assert.Equal("worker", node.Config.GetString("akka.cluster.split-brain-resolver.keep-majority.role"));
        Assert.False(node.Config.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
        Assert.Equal(TimeSpan.FromSeconds(60), node.WorkerWait);
        // Rebalancing limits set on purpose: Akka 1.5's absolute limit 0 would keep the legacy 3-shards-a-round strategy.
        Assert.Equal(20, node.Config.GetInt("akka.cluster.sharding.least-shard-allocation-strategy.rebalance-absolute-limit"));
        Assert.Equal(0.1, node.Config.GetDouble("akka.cluster.sharding.least-shard-allocation-strategy.rebalance-relative-limit"));
    }

    [Fact]
    public void Node_settings_override_the_file_and_reach_akkas_own_keys()
    {
        NodeConfig node = NodeConfig.Resolve(new ClusterNodeSettings
        {
            Roles = [GenoFlowRoles.Worker, GenoFlowRoles.Coordinator],
            Host = "10.0.0.5",
            Port = 4053,
            Seeds = ["10.0.0.1:4053", "node-b:4054"],
            CacheBytes = 64L << 20,
            ShardCount = 7,
            RequestTimeout = TimeSpan.FromMilliseconds(1500),
            StableAfter = TimeSpan.FromSeconds(3),
            AllowInsecure = true,
        });

        Assert.Equal(["akka.tcp://genoflow@10.0.0.1:4053", "akka.tcp://genoflow@node-b:4054"], node.Config.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(["worker", "coordinator"], node.Config.GetStringList("akka.cluster.roles"));
        Assert.Equal(("10.0.0.5", 4053), (node.Config.GetString("akka.remote.dot-netty.tcp.hostname"), node.Config.GetInt("akka.remote.dot-netty.tcp.port")));
        Assert.Equal((64L << 20, 7), (node.CacheBytes, node.ShardCount));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), node.Executor.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), node.Config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.0.0.1:port")]
    [InlineData(":4053")]
    [InlineData("host:70000")]
    public void A_malformed_seed_is_refused_naming_it(string seed)
    {
        var error = Assert.Throws<ClusterConfigurationException>(() => NodeConfig.Resolve(new ClusterNodeSettings { Seeds = [seed] }));

        Assert.Contains($"'{seed}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("0.0.0.0")]
    [InlineData("node-a.example")]
    public void Binding_a_non_loopback_address_without_tls_is_refused(string host)
    {
        var error = Assert.Throws<ClusterConfigurationException>(() => NodeConfig.Resolve(new ClusterNodeSettings { Host = host }));

        Assert.Contains($"binding {host} without TLS is refused", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Loopback_needs_no_certificate(string host)
    {
        NodeConfig node = NodeConfig.Resolve(new ClusterNodeSettings { Host = host });

        Assert.Null(node.CertificatePath);
        Assert.False(node.Config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
    }

    [Fact]
    public void A_certificate_turns_on_tls_and_seeds_use_the_tls_protocol()
    {
        NodeConfig node = NodeConfig.Resolve(new ClusterNodeSettings { Host = "10.0.0.5", CertificatePath = "/etc/genoflow/node.pfx", Seeds = ["10.0.0.1:4053"] });

        Assert.True(node.Config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(["akka.ssl.tcp://genoflow@10.0.0.1:4053"], node.SeedAddresses);
        Assert.Throws<ClusterConfigurationException>(() => NodeConfig.Resolve(new ClusterNodeSettings { CertificatePath = "/x.pfx", Seeds = ["akka.tcp://genoflow@10.0.0.1:4053"] }));
    }
}
