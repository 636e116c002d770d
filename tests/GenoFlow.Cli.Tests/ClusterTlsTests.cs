using System.Security.Cryptography.X509Certificates;
using GenoFlow.Engine.Security;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Mutual TLS between real node processes over TCP: only a job client holding a valid certificate from the cluster's CA
/// gets in; the others are refused with a clear line on both sides, and the cluster keeps working.
/// </summary>
public sealed class ClusterTlsTests
{
    private static readonly TimeSpan LogDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Only_a_certificate_from_the_cluster_ca_joins_and_refused_clients_leave_the_cluster_working()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("cert", "init", dir["ca"]);
        await GenoFlowProcess.RunOkAsync("cert", "init", dir["other-ca"]);
        foreach (string name in new[] { "node0", "node1", "client" })
        {
            await GenoFlowProcess.RunOkAsync("cert", "issue", "--ca", dir["ca"], "--name", name, "--out", dir[name + ".pfx"]);
        }
        await GenoFlowProcess.RunOkAsync("cert", "issue", "--ca", dir["other-ca"], "--name", "rogue", "--out", dir["rogue.pfx"]);
        using (ClusterCertificateAuthority ca = ClusterCertificateAuthority.Load(dir["ca"]))
        using (X509Certificate2 old = ca.Issue("expired", DateTimeOffset.UtcNow.AddMinutes(-3), DateTimeOffset.UtcNow.AddMinutes(-1)))
        {
            ca.Export(old, dir["expired.pfx"]);
        }
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "200", "--variants", "1000", "--seed", "5");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "100", "--samples-per-tile", "100");
        string config = dir["short-join.conf"];
        await File.WriteAllTextAsync(config, "genoflow.cluster.join-timeout = 5s\n");

        await using ClusterNodes nodes = await ClusterNodes.StartAsync(2, extraArgs: i => ["--cert", dir[$"node{i}.pfx"]]);
        string[] job = ["qc", dir["ds"], .. nodes.Client, "--config", config];

        GenoFlowProcess.Result plain = await GenoFlowProcess.RunAsync([.. job, "--out", dir["qc-plain"]]);
        Assert.True(plain.ExitCode == 1, $"a client without a certificate was not refused: {plain}");
        Assert.Contains("could not join the GenoFlow cluster", plain.StdErr, StringComparison.Ordinal);
        await nodes.WaitForLogAsync(0, LogDeadline, "Rejected incoming connection", "TLS handshake failure");

        // The rogue refuses the seed's certificate and says so at once: a join timeout long enough for Akka to dial
        // again (after a first connection lost to load) must not make it wait.
        string longJoin = dir["long-join.conf"];
        await File.WriteAllTextAsync(longJoin, "genoflow.cluster.join-timeout = 60s\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        GenoFlowProcess.Result rogue = await GenoFlowProcess.RunAsync(["qc", dir["ds"], .. nodes.Client, "--config", longJoin, "--out", dir["qc-rogue"], "--cert", dir["rogue.pfx"]]);
        Assert.True(rogue.ExitCode == 1, $"a client with another CA's certificate was not refused: {rogue}");
        Assert.Contains("could not join the GenoFlow cluster at akka.ssl.tcp://", rogue.StdErr, StringComparison.Ordinal);
        Assert.Matches(@"genoflow: could not join .*: TLS: refused peer ssl\.tcp://genoflow@127\.0\.0\.1:\d+: certificate 'CN=node0' .* not issued by this cluster's CA .*the CA in .*rogue\.pfx did not issue", rogue.StdErr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(50), $"the rogue waited out its join timeout ({clock.Elapsed}) instead of failing at the refusal");
        await nodes.WaitForLogAsync(0, LogDeadline, "TLS: refused peer", "'CN=rogue'", "not issued by this cluster's CA");

        GenoFlowProcess.Result expired = await GenoFlowProcess.RunAsync([.. job, "--out", dir["qc-expired"], "--cert", dir["expired.pfx"]]);
        Assert.True(expired.ExitCode == 1, $"a client with an expired certificate was not refused: {expired}");
        Assert.Contains("'CN=expired' expired on", expired.StdErr, StringComparison.Ordinal);

        GenoFlowProcess.Result good = await GenoFlowProcess.RunOkAsync([.. job, "--out", dir["qc"], "--cert", dir["client.pfx"], "--min-workers", "2"]);
        foreach (int port in nodes.Ports)
        {
            Assert.Contains($"akka.ssl.tcp://genoflow@127.0.0.1:{port} ", good.StdOut, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(dir["qc-plain"]) || Directory.Exists(dir["qc-rogue"]) || Directory.Exists(dir["qc-expired"]), "a refused job wrote output");
    }

    [Fact]
    public async Task A_node_on_a_non_loopback_address_without_tls_is_refused_at_start()
    {
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["node", "--host", "10.255.255.1", "--port", "0"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("genoflow: binding 10.255.255.1 without TLS is refused", result.StdErr, StringComparison.Ordinal);
    }
}
