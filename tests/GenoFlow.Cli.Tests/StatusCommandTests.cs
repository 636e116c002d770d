using System.Text.Json;

namespace GenoFlow.Cli.Tests;

/// <summary><c>genoflow status</c> against real node processes: members, roles, status, reachability, entities per node.</summary>
public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_lists_every_member_and_the_tiles_each_hosts()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "300", "--variants", "2000", "--seed", "8");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "250", "--samples-per-tile", "128");
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(3);
        await GenoFlowProcess.RunOkAsync(["qc", dir["ds"], "--out", dir["qc"], .. nodes.Client, "--min-workers", "3"]);

        GenoFlowProcess.Result json = await GenoFlowProcess.RunOkAsync("status", "--cluster", nodes.Seed, "--json");
        GenoFlowProcess.Result text = await GenoFlowProcess.RunOkAsync("status", "--cluster", nodes.Seed);

        using JsonDocument status = JsonDocument.Parse(json.StdOut);
        var members = status.RootElement.GetProperty("members").EnumerateArray().ToList();
        var workers = members.Where(m => m.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "worker")).ToList();
        Assert.Equal(nodes.Ports.Select(p => $"akka.tcp://genoflow@127.0.0.1:{p}").Order(StringComparer.Ordinal), workers.Select(w => w.GetProperty("address").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(workers, w =>
        {
            Assert.Equal("Up", w.GetProperty("status").GetString());
            Assert.True(w.GetProperty("reachable").GetBoolean());
            Assert.True(w.GetProperty("tile_shards").GetInt32() > 0, $"{w} hosts no tile shard after a QC on three workers");
        });
        // 22 regions (cut per contig) x 3 sample blocks: every tile the QC read has one entity, on exactly one node.
        Assert.Equal(66, workers.Sum(w => w.GetProperty("tile_entities").GetInt32()));
        // The status query is itself a member for a moment, with the coordinator role only.
        Assert.Contains(members, m => m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).SequenceEqual(["coordinator"]));
        Assert.All(nodes.Ports, p => Assert.Matches($@"127\.0\.0\.1:{p}  worker +Up +reachable +tiles: [1-9]\d* shards", text.StdOut));
    }
}
