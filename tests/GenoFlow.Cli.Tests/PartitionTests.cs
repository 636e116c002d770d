using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// A network partition mid-job: three real worker processes, each in its own network namespace, and one cut off from the
/// others (its link taken down) while it computes part of a job. The split-brain resolver downs the minority (the cut-off
/// worker, alone on its side), the downed worker exits 1, and the majority finishes the job with the undisturbed run's
/// bytes. Skipped, saying why, where network namespaces cannot be made.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed partial class PartitionTests(FailoverCohort cohort)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private const int CutOff = 2;

    [NetworkNamespacesTheory]
    [InlineData("qc")]
    [InlineData("pca")]
    public async Task A_worker_cut_off_mid_job_is_downed_and_the_majority_finishes_with_the_same_bytes(string kind)
    {
        using var dir = new TempDirectory();
        string cutOffConfig = await FailoverCohort.WriteDebugConfigAsync(dir["cut-off.conf"]);
        using NetworkNamespaces network = NetworkNamespaces.Create(3);
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(3, extraArgs: i => ["--config", i == CutOff ? cutOffConfig : cohort.WorkerConfig], network: network);

        // The job client is on the majority side: on the bridge, which keeps its links to nodes 0 and 1.
        using RunningJob job = RunningJob.Start([.. cohort.CommandFor(kind, dir["out"]), .. nodes.Client, "--min-workers", "3", "--config", cohort.ClientConfig]);
        await Task.Run(async () =>
        {
            await nodes.WaitForLogAsync(CutOff, Deadline, "Started entity");
            network.CutOff(CutOff);
        });
        if (job.HasExited) Assert.Fail($"{kind} finished before the worker was cut off: {await job.DescribeAsync()}"); // the message awaits the job's exit: build it only on failure

        // Alone on its side, the cut-off worker is the minority: its own resolver downs it, and a downed node exits 1.
        int cutOffExit = await nodes.WaitForExitAsync(CutOff, Deadline);
        Assert.True(cutOffExit == 1, $"the cut-off worker exited {cutOffExit}, not 1 as a downed node does");
        await nodes.WaitForLogAsync(CutOff, Deadline, "was removed from the cluster");
        int exit = await job.WaitForExitAsync(Deadline);

        Assert.True(exit == 0, $"{kind} failed after a worker was cut off: exit {exit}\n{await job.DescribeAsync()}");
        // Same bytes as the undisturbed run: QC sums integer counts and PCA sums products per tile, so a partial reduced
        // twice (a unit computed on both sides of the partition) would change them.
        cohort.AssertSameAsReference(kind, dir["out"]);
        string stdout = await job.StdOut;
        Assert.True(Retried().IsMatch(stdout), $"{kind}: no unit was sent again after the cut\n{await job.DescribeAsync()}");
        // Both majority workers carried on with the job.
        Assert.All(new[] { 0, 1 }, i => Assert.Matches($@"{Regex.Escape(network.Address(i))}:\d+ [1-9]", stdout));
    }

    [GeneratedRegex(@" [1-9]\d* retried")]
    private static partial Regex Retried();

    /// <summary>A theory that runs only where network namespaces can be made (root or CAP_NET_ADMIN, iproute2).</summary>
    private sealed class NetworkNamespacesTheoryAttribute : TheoryAttribute
    {
        public NetworkNamespacesTheoryAttribute()
        {
            if (NetworkNamespaces.Unavailable.Value is { } why)
            {
                Skip = why;
            }
        }
    }
}
