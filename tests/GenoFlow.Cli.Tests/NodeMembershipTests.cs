namespace GenoFlow.Cli.Tests;

/// <summary>What a node process does when the cluster decides against it: real node processes over TCP.</summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class NodeMembershipTests
{
    // Generous: a downed node's coordinated shutdown has phase timeouts of its own, and CI machines can be very loaded.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_node_the_cluster_downs_exits_non_zero_so_a_supervisor_restarts_it()
    {
        using var dir = new TempDirectory();
        string config = dir["fast-failover.conf"];
        // stable-after well above the failure detector's pause: a paused node, once resumed, sees its peers become
        // unreachable one at a time (3.5 s apart in a loaded full run). With stable-after shorter than that spread, its
        // resolver acted on the first one alone, judged itself part of a majority, downed both peers and stayed up.
        await File.WriteAllTextAsync(config, """
            akka.cluster.split-brain-resolver.stable-after = 8s
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s
            akka.cluster.failure-detector.heartbeat-interval = 500ms
            """);
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(3, config);

        // A paused process looks like a hung machine: the two others are the majority and down it (once removed, its
        // address is quarantined, which Akka logs as a warning).
        await nodes.SignalAsync(2, "STOP");
        await nodes.WaitForLogAsync(0, Deadline, $"Association to [akka.tcp://genoflow@127.0.0.1:{nodes.Ports[2]}]", "quarantined");
        await nodes.SignalAsync(2, "CONT");

        int exitCode = await nodes.WaitForExitAsync(2, Deadline);
        Assert.Equal(1, exitCode);
        // It left on its peers' decision, whichever word of it reached the resumed node first: their quarantine
        // notice (QuarantineWatch) or gossip saying it was downed. Not on its own resolver's stale view, in which it
        // would have downed the majority: the two peers are still up.
        Task<string> quarantined = nodes.WaitForLogAsync(2, Deadline, "this node was quarantined by akka.tcp://genoflow@127.0.0.1:");
        Task<string> downedByPeers = nodes.WaitForLogAsync(2, Deadline, "Received gossip where this member has been downed, from [akka.tcp://genoflow@127.0.0.1:");
        await await Task.WhenAny(quarantined, downedByPeers);
        await nodes.WaitForLogAsync(2, Deadline, "genoflow: node", "was removed from the cluster");
        Assert.False(nodes.HasExited(0) || nodes.HasExited(1), "a peer of the downed node exited");
    }
}
