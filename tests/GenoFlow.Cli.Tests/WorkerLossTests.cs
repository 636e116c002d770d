using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Every job kind survives a worker killed (kill -9) while it computes part of the job: real node processes over TCP,
/// the job completes with the undisturbed run's bytes and its statistics show the units that were sent again.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed partial class WorkerLossTests(FailoverCohort cohort)
{
    // Generous: failure detection, the split-brain resolver and the retries all run on a loaded 2-core machine.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private const int Victim = 2;

    public static TheoryData<string> Kinds => new(FailoverCohort.Jobs.Select(j => j.Kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_worker_killed_while_it_computes_costs_retries_not_bytes(string kind)
    {
        using var dir = new TempDirectory();
        // The cluster is fresh, so the victim's first "Started entity" (logged at DEBUG) is a unit of this job.
        string victimConfig = await FailoverCohort.WriteDebugConfigAsync(dir["victim.conf"]);
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(3, extraArgs: i => ["--config", i == Victim ? victimConfig : cohort.WorkerConfig]);

        using RunningJob job = RunningJob.Start([.. cohort.CommandFor(kind, dir["out"]), .. nodes.Client, "--min-workers", "3", "--config", cohort.ClientConfig]);
        // Killed from the thread pool the moment its log line is read (the test's own context can be busy for seconds).
        var (started, killedAt) = await Task.Run(async () =>
        {
            string line = await nodes.WaitForLogAsync(Victim, Deadline, "Started entity");
            nodes.Kill(Victim);
            return (line, DateTime.Now);
        });
        if (job.HasExited) Assert.Fail($"{kind} finished before the victim was killed: {await job.DescribeAsync()}"); // the message awaits the job's exit: build it only on failure
        Assert.Equal(137, await nodes.WaitForExitAsync(Victim, Deadline));
        int exit = await job.WaitForExitAsync(Deadline);

        Assert.True(exit == 0, $"{kind} failed after a worker was killed: exit {exit}\n{await job.DescribeAsync()}");
        cohort.AssertSameAsReference(kind, dir["out"]);
        // The victim's units in flight (and those sent to it before it was downed) were sent again.
        Assert.True(Retried().IsMatch(await job.StdOut), $"{kind}: no unit was sent again after the victim (port {nodes.Ports[Victim]}) died at {killedAt:HH:mm:ss.fff} after {started}\n{await job.DescribeAsync()}");
    }

    [GeneratedRegex(@" [1-9]\d* retried")]
    private static partial Regex Retried();
}
