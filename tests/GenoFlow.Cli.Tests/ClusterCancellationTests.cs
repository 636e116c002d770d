using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Ctrl-C on a job client running on a real two-node cluster: the client exits 130, and the workers are told to stop
/// the job's requests: the ones queued there are dropped instead of computed for nobody, and each worker reports when
/// it has no more work for the job (the unit tests of <c>RunningRequests</c> check what is dropped).
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed partial class ClusterCancellationTests(FailoverCohort cohort)
{
    [Fact]
    public async Task Sigint_on_the_job_client_stops_the_workers_requests()
    {
        using var dir = new TempDirectory();
        // Workers log at INFO (the cancellation lines), and so does the client (--verbose: the line saying it told them).
        File.WriteAllText(dir["node.conf"], "akka.loglevel = INFO\n");
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(2, dir["node.conf"]);

        // A PCA held to a tolerance it cannot reach runs until it is interrupted (the shared cohort's 1,000 tiles: a
        // pass takes seconds on two nodes).
        using Process client = GenoFlowProcess.StartWithDefaultSignals(["pca", cohort["ds"], "-k", "5", "--tolerance", "1e-300", "--max-iterations", "200", "--out", dir["pca"],
            .. nodes.Client, "--min-workers", "2", "--verbose"]);
        (int exit, string stderr) = await Task.Run(async () =>
        {
            Task<string> output = client.StandardOutput.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            var errors = new StringBuilder();
            string? line;
            while ((line = await client.StandardError.ReadLineAsync(deadline.Token)) is not null && !line.StartsWith("pca: ", StringComparison.Ordinal))
            {
                errors.AppendLine(line);
            }
            Assert.False(client.HasExited, $"pca finished before it could be interrupted; make the dataset larger\n{errors}");
            using (Process kill = Process.Start("kill", ["-INT", client.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(deadline.Token);
            }
            errors.Append(await client.StandardError.ReadToEndAsync(deadline.Token));
            await client.WaitForExitAsync(deadline.Token);
            _ = await output;
            return (client.ExitCode, errors.ToString());
        });

        Assert.True(exit == 130, $"exit {exit}\n{stderr}");
        Assert.Contains("genoflow: cancelled; no output was written", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["pca"]), "a cancelled job left its output directory");
        // The signal lands during one of the PCA's passes (a tile job); in the rare case it lands between two, no job is
        // running anywhere and there is nothing to stop.
        Match told = ToldWorkers().Match(stderr);
        if (!told.Success)
        {
            return;
        }
        string job = told.Groups[1].Value;
        Assert.Equal("2", told.Groups[2].Value);
        for (int node = 0; node < 2; node++)
        {
            // Each worker hears of it, drops what it had queued, and says when it has no more work for the job.
            await nodes.WaitForLogAsync(node, TimeSpan.FromSeconds(30), $"job {job} cancelled by its coordinator");
            Match drained = DrainedJob().Match(await nodes.WaitForLogAsync(node, TimeSpan.FromSeconds(30), $"job {job} cancelled: no more work for it on this node"));
            Assert.True(int.Parse(drained.Groups[2].Value, CultureInfo.InvariantCulture) <= int.Parse(drained.Groups[1].Value, CultureInfo.InvariantCulture), drained.Value);
        }
    }

    [GeneratedRegex(@"job (\S+) stopped: told (\d+) worker\(s\) to stop")]
    private static partial Regex ToldWorkers();

    [GeneratedRegex(@"\((\d+) request\(s\) were running or queued, (\d+) stopped before finishing\)")]
    private static partial Regex DrainedJob();
}
