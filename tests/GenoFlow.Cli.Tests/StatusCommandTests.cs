using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary><c>genoflow status</c> against real node processes: members, roles, status, reachability, entities per node, running jobs.</summary>
public sealed partial class StatusCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

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

    [Fact]
    public async Task Status_lists_a_running_job_with_its_kind_progress_and_start()
    {
        using var dir = new TempDirectory();
        // Small tiles and one request in flight per worker: the product jobs take long enough to be caught.
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "1000", "--variants", "20000", "--seed", "8");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "50", "--samples-per-tile", "128");
        string slow = dir["slow.conf"];
        await File.WriteAllTextAsync(slow, "genoflow.jobs.in-flight-per-worker = 1\n");
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(2);
        DateTimeOffset before = DateTimeOffset.UtcNow;
        using RunningJob pca = RunningJob.Start(["pca", dir["ds"], "-k", "3", "--tolerance", "1e-300", "--out", dir["pca"], .. nodes.Client, "--min-workers", "2", "--config", slow]);

        // Between two jobs none may run, so ask until one is caught in flight, in JSON and then in text.
        var clock = Stopwatch.StartNew();
        string? jobJson = null;
        string text = "";
        var seen = new List<string>();
        while (jobJson is null || !RunningPcaLine().IsMatch(text))
        {
            seen.Add($"{clock.Elapsed.TotalSeconds:0}s: {(jobJson is null ? "no pca.product job in JSON" : "text:\n" + text)}");
            Assert.True(clock.Elapsed < Deadline, $"status listed no running pca within {Deadline}:\n{string.Join("\n", seen)}");
            if (pca.HasExited)
            {
                Assert.Fail($"the pca ended before status listed it: {await pca.DescribeAsync()}");
            }
            using JsonDocument status = JsonDocument.Parse((await GenoFlowProcess.RunOkAsync("status", "--cluster", nodes.Seed, "--json")).StdOut);
            // A PCA's first pass is the allele-frequency count (qc.counts/1); the products come after it.
            jobJson = status.RootElement.GetProperty("jobs").EnumerateArray()
                .Where(j => j.GetProperty("kind").GetString() == "pca.product/1")
                .Select(j => j.GetRawText())
                .FirstOrDefault();
            text = jobJson is null ? "" : (await GenoFlowProcess.RunOkAsync("status", "--cluster", nodes.Seed)).StdOut;
        }

        using JsonDocument parsed = JsonDocument.Parse(jobJson);
        JsonElement job = parsed.RootElement;
        Assert.Equal("tiles", job.GetProperty("units").GetString());
        // A Krylov iteration's products run region by region (X_r·G, then X_rᵀ·H_r on the same tiles): a job is one
        // region of 50 variants over its 8 sample blocks.
        int total = job.GetProperty("total").GetInt32();
        Assert.Equal(8, total);
        Assert.InRange(job.GetProperty("done").GetInt32(), 0, total);
        Assert.InRange(job.GetProperty("started").GetDateTimeOffset(), before, DateTimeOffset.UtcNow);
        // The job client, a coordinator-only member: not one of the workers.
        Assert.DoesNotContain(nodes.Ports, p => job.GetProperty("coordinator").GetString()!.EndsWith($":{p}", StringComparison.Ordinal));
    }

    // Up to three product jobs run at once (two regions' X·G and one region's Xᵀ·H).
    [GeneratedRegex(@"\d running job\(s\):(\n  .+)*\n  \w+  pca\.product/1 +\d+/\d+ tiles done  started \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ  on akka\.tcp://genoflow@127\.0\.0\.1:\d+")]
    private static partial Regex RunningPcaLine();
}
