using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Scale-in: a worker sent SIGTERM while it computes part of a job leaves the cluster gracefully (its shards are
/// handed off) and exits 0, and the job completes with the undisturbed run's bytes. Real node processes over TCP.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed partial class ScaleInTests(FailoverCohort cohort)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    /// <summary>A node stops within this after SIGTERM: HostedClusterSession's stop timeout (30 s) and the process exit.</summary>
    private static readonly TimeSpan LeaveDeadline = TimeSpan.FromSeconds(40);

    private const int Leaver = 2;

    [Theory]
    [InlineData("pca")]
    [InlineData("train-average")]
    public async Task A_worker_sent_sigterm_mid_job_hands_off_and_costs_nothing(string kind)
    {
        using var dir = new TempDirectory();
        string leaverConfig = await FailoverCohort.WriteDebugConfigAsync(dir["leaver.conf"]);
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(3, extraArgs: i => ["--config", i == Leaver ? leaverConfig : cohort.WorkerConfig]);

        using RunningJob job = RunningJob.Start([.. cohort.CommandFor(kind, dir["out"]), .. nodes.Client, "--min-workers", "3", "--config", cohort.ClientConfig]);
        await Task.Run(async () =>
        {
            await nodes.WaitForLogAsync(Leaver, Deadline, "Started entity");
            await nodes.SignalAsync(Leaver, "TERM");
        });
        if (job.HasExited) Assert.Fail($"{kind} finished before the worker was asked to leave: {await job.DescribeAsync()}"); // the message awaits the job's exit: build it only on failure
        Assert.Equal(0, await nodes.WaitForExitAsync(Leaver, LeaveDeadline));
        int exit = await job.WaitForExitAsync(Deadline);

        Assert.True(exit == 0, $"{kind} failed after a worker left: exit {exit}\n{await job.DescribeAsync()}");
        cohort.AssertSameAsReference(kind, dir["out"]);
        // Nothing was lost: no unit had to be sent again.
        Assert.True(NothingRetried().IsMatch(await job.StdOut), $"{kind}: units were sent again although the worker left gracefully\n{await job.DescribeAsync()}");
    }

    [Fact]
    public async Task A_pca_on_four_nodes_survives_one_worker_killed_and_another_leaving()
    {
        using var dir = new TempDirectory();
        string leaverConfig = await FailoverCohort.WriteDebugConfigAsync(dir["leaver.conf"]);
        const int victim = 3;
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(4, extraArgs: i => ["--config", i == Leaver ? leaverConfig : cohort.WorkerConfig]);

        using RunningJob job = RunningJob.Start([.. cohort.CommandFor("pca", dir["out"]), .. nodes.Client, "--min-workers", "4", "--config", cohort.ClientConfig]);
        await Task.Run(async () =>
        {
            await nodes.WaitForLogAsync(Leaver, Deadline, "Started entity");
            nodes.Kill(victim);
            await nodes.SignalAsync(Leaver, "TERM");
        });
        if (job.HasExited) Assert.Fail($"pca finished before the workers went: {await job.DescribeAsync()}"); // the message awaits the job's exit: build it only on failure
        Assert.Equal(0, await nodes.WaitForExitAsync(Leaver, LeaveDeadline));
        int exit = await job.WaitForExitAsync(Deadline);

        Assert.True(exit == 0, $"pca failed after one worker was killed and another left: exit {exit}\n{await job.DescribeAsync()}");
        cohort.AssertSameAsReference("pca", dir["out"]);
    }

    [GeneratedRegex(@" 0 retried")]
    private static partial Regex NothingRetried();
}
