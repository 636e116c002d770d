using System.Text.Json;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Cluster Bootstrap with config discovery: real node processes given no seed, only the list of every node's management
/// endpoint, form one cluster (not one each) and run a job on all of them. With mutual TLS, as a real deployment runs:
/// bootstrap finds the members over plain HTTP, but joining goes through the TLS transport.
/// </summary>
public sealed class BootstrapTests
{
    [Fact]
    public async Task Three_nodes_that_know_only_the_contact_points_form_one_cluster_and_share_a_job()
    {
        using var dir = new TempDirectory();
        // Bootstrap waits for discovery to be stable for stable-margin (5 s shipped) and probes every probe-interval
        // (5 s) before a new cluster forms: shortened, so the test spends seconds, not tens of seconds, on it.
        string config = dir["bootstrap.conf"];
        await File.WriteAllTextAsync(config, """
            akka.management.cluster.bootstrap.contact-point-discovery.stable-margin = 1s
            akka.management.cluster.bootstrap.contact-point.probe-interval = 1s
            """);
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "300", "--variants", "2000", "--seed", "8");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "250", "--samples-per-tile", "128");

        await GenoFlowProcess.RunOkAsync("cert", "init", dir["ca"]);
        foreach (string name in new[] { "node0", "node1", "node2", "client" })
        {
            await GenoFlowProcess.RunOkAsync("cert", "issue", "--ca", dir["ca"], "--name", name, "--out", dir[name + ".pfx"]);
        }

        await using ClusterNodes nodes = await ClusterNodes.StartBootstrappedAsync(3, config, i => ["--cert", dir[$"node{i}.pfx"]]);

        // Asked through the last node: it sees all three as Up members of its cluster.
        string last = $"127.0.0.1:{nodes.Ports[2]}";
        GenoFlowProcess.Result status = await GenoFlowProcess.RunOkAsync("status", "--cluster", last, "--json", "--cert", dir["client.pfx"]);
        using JsonDocument json = JsonDocument.Parse(status.StdOut);
        var workers = json.RootElement.GetProperty("members").EnumerateArray()
            .Where(m => m.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "worker"))
            .ToList();
        Assert.Equal(nodes.Ports.Select(p => $"akka.ssl.tcp://genoflow@127.0.0.1:{p}").Order(StringComparer.Ordinal), workers.Select(w => w.GetProperty("address").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(workers, w => Assert.Equal("Up", w.GetProperty("status").GetString()));

        // A job joined through the first node runs on all three.
        GenoFlowProcess.Result qc = await GenoFlowProcess.RunOkAsync(["qc", dir["ds"], "--out", dir["qc"], "--cluster", nodes.Seed, "--data-root", ClusterNodes.DataRoot, "--scratch-root", nodes.ScratchRoot, "--min-workers", "3", "--no-result-store", "--cert", dir["client.pfx"]]);
        Assert.All(nodes.Ports, p => Assert.Matches($@"127\.0\.0\.1:{p} [1-9]", qc.StdOut));
    }
}
