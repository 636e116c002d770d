using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Ctrl-C on a job client running on a real two-node cluster: the client exits 130, and the workers are told to stop
/// the job's requests, so their CPU work for it ends instead of running out the requests already dispatched.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed partial class ClusterCancellationTests
{
    /// <summary>A worker busy on the job uses at least this much CPU per second of wall time; an idle one far less.</summary>
    private static readonly TimeSpan Busy = TimeSpan.FromMilliseconds(150);

    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(80);

    [Fact]
    public async Task Sigint_on_the_job_client_stops_the_workers_requests()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "2000", "--variants", "40000", "--seed", "3");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "100", "--samples-per-tile", "500");
        // Workers log at INFO (the cancellation line); the client keeps many requests in flight per worker, so a worker
        // that ignored the cancellation would have seconds of queued work left.
        File.WriteAllText(dir["node.conf"], "akka.loglevel = INFO\n");
        File.WriteAllText(dir["client.conf"], "genoflow.jobs.in-flight-per-worker = 200\n");
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(2, dir["node.conf"]);

        // A PCA held to a tolerance it cannot reach runs until it is interrupted.
        using Process client = GenoFlowProcess.StartWithDefaultSignals(["pca", dir["ds"], "-k", "5", "--tolerance", "1e-300", "--max-iterations", "200", "--out", dir["pca"],
            .. nodes.Client, "--min-workers", "2", "--config", dir["client.conf"]]);
        (int exit, string stderr) = await Task.Run(async () =>
        {
            Task<string> output = client.StandardOutput.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            var before = new System.Text.StringBuilder();
            string? line;
            while ((line = await client.StandardError.ReadLineAsync(deadline.Token)) is not null && !line.StartsWith("pca: ", StringComparison.Ordinal))
            {
                before.AppendLine(line);
            }
            Assert.False(client.HasExited, "pca finished before it could be interrupted; make the dataset larger");
            await AssertAsync(nodes, 0, cpu => cpu >= Busy, "worker 0 busy on the PCA before the interrupt");
            using (Process kill = Process.Start("kill", ["-INT", client.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(deadline.Token);
            }
            string errors = await client.StandardError.ReadToEndAsync(deadline.Token);
            await client.WaitForExitAsync(deadline.Token);
            _ = await output;
            return (client.ExitCode, before + errors);
        });

        Assert.True(exit == 130, $"exit {exit}\n{stderr}");
        Assert.Contains("genoflow: cancelled; no output was written", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["pca"]), "a cancelled job left its output directory");
        int stopped = 0;
        for (int node = 0; node < 2; node++)
        {
            string line = await nodes.WaitForLogAsync(node, TimeSpan.FromSeconds(30), "cancelled by its coordinator");
            stopped += int.Parse(StoppedRequests().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
            await AssertAsync(nodes, node, cpu => cpu <= Idle, $"worker {node} idle after the cancellation");
        }
        Assert.True(stopped > 0, "the cancellation reached no worker while it still had requests of the job");
    }

    /// <summary>Measures node <paramref name="index"/>'s CPU use over one-second windows until <paramref name="holds"/> holds for one, within 20 s.</summary>
    private static async Task AssertAsync(ClusterNodes nodes, int index, Func<TimeSpan, bool> holds, string what)
    {
        var clock = Stopwatch.StartNew();
        var seen = new List<string>();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            TimeSpan before = nodes.CpuTime(index);
            var window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(1));
            TimeSpan perSecond = (nodes.CpuTime(index) - before) / window.Elapsed.TotalSeconds;
            if (holds(perSecond))
            {
                return;
            }
            seen.Add($"{perSecond.TotalMilliseconds:0} ms");
        }
        Assert.Fail($"expected {what} within 20 s; CPU per second of wall time: {string.Join(", ", seen)}");
    }

    [GeneratedRegex(@"\b(\d+) request\(s\) on this node stop")]
    private static partial Regex StoppedRequests();
}
