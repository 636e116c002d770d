using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Every job kind survives a worker killed (kill -9) while it computes part of the job: real node processes over TCP,
/// the job completes with the undisturbed run's bytes and its statistics show the units that were sent again.
/// </summary>
public sealed partial class WorkerLossTests(FailoverCohort cohort) : IClassFixture<FailoverCohort>
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
        // At DEBUG the sharding logs "Started entity" on the victim: a unit of this job (the cluster is fresh) has reached it.
        string victimConfig = dir["victim.conf"];
        await File.WriteAllTextAsync(victimConfig, FailoverCohort.FastFailover + "\nakka.loglevel = DEBUG\n");
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(3, extraArgs: i => ["--config", i == Victim ? victimConfig : cohort.WorkerConfig]);

        using Process job = GenoFlowProcess.Start([.. cohort.CommandFor(kind, dir["out"]), "--cluster", nodes.Seed, "--min-workers", "3", "--config", cohort.ClientConfig]);
        // Off the test's synchronisation context: a pipe read can hold its thread.
        Task<string> stdout = Task.Run(() => job.StandardOutput.ReadToEndAsync());
        Task<string> stderr = Task.Run(() => job.StandardError.ReadToEndAsync());
        // Killed from the thread pool the moment its log line is read (the test's own context can be busy for seconds).
        var (started, killedAt) = await Task.Run(async () =>
        {
            string line = await nodes.WaitForLogAsync(Victim, Deadline, "Started entity");
            nodes.Kill(Victim);
            return (line, DateTime.Now);
        });
        Assert.False(job.HasExited, $"{kind} finished before the victim was killed: {await stdout}{await stderr}");
        Assert.Equal(137, await nodes.WaitForExitAsync(Victim, Deadline));
        using var deadline = new CancellationTokenSource(Deadline);
        await job.WaitForExitAsync(deadline.Token);

        Assert.True(job.ExitCode == 0, $"{kind} failed after a worker was killed: exit {job.ExitCode}\n{await stdout}\n{await stderr}");
        cohort.AssertSameAsReference(kind, dir["out"]);
        // The victim's units in flight (and those sent to it before it was downed) were sent again.
        Assert.True(Retried().IsMatch(await stdout), $"{kind}: no unit was sent again after the victim (port {nodes.Ports[Victim]}) died at {killedAt:HH:mm:ss.fff} after {started}\n{await stdout}\n{await stderr}");
    }

    [GeneratedRegex(@" [1-9]\d* retried")]
    private static partial Regex Retried();
}
