
namespace GenoFlow.Cli.Tests;

/// <summary>Faults on the job's own side: the cluster it needs never comes, or goes away mid-job. A clear failure, never a hang.</summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class ClusterClientFaultTests(FailoverCohort cohort)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_job_waiting_for_workers_that_never_come_fails_after_the_worker_wait_naming_the_count()
    {
        using var dir = new TempDirectory();
        string config = dir["client.conf"];
        await File.WriteAllTextAsync(config, "genoflow.jobs.worker-wait = 3s\n");
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(1);

        GenoFlowProcess.Result qc = await GenoFlowProcess.RunAsync([.. cohort.CommandFor("qc", dir["out"]), .. nodes.Client, "--min-workers", "3", "--config", config], deadline: Deadline);

        Assert.True(qc.ExitCode == 1, qc.ToString());
        Assert.Contains("--min-workers 3", qc.StdErr, StringComparison.Ordinal);
        Assert.Contains("within 3 s; saw 1", qc.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["out"]), "a job that never started left an output directory");
    }

    [Fact]
    public async Task A_job_cut_off_from_every_worker_fails_once_the_resolver_downs_it_with_a_clear_message_and_no_output()
    {
        using var dir = new TempDirectory();
        string workerConfig = await FailoverCohort.WriteDebugConfigAsync(dir["workers.conf"]);
        // Attempts enough to outlast the resolver: the job fails because its process loses the cluster, not for lack of attempts.
        string clientConfig = dir["client.conf"];
        await File.WriteAllTextAsync(clientConfig, FailoverCohort.FastFailover + "\ngenoflow.jobs.max-attempts = 1000\n");
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(2, workerConfig);

        using RunningJob job = RunningJob.Start([.. cohort.CommandFor("pca", dir["out"]), .. nodes.Client, "--min-workers", "2", "--config", clientConfig]);
        await Task.Run(async () =>
        {
            await nodes.WaitForLogAsync(1, Deadline, "Started entity");
            nodes.Kill(0);
            nodes.Kill(1);
        });
        int exit = await job.WaitForExitAsync(Deadline);

        // With no worker reachable the job's process is on the minority side (only workers count), so the split-brain
        // resolver downs it after stable-after, and the job says so.
        Assert.True(exit == 1, $"exit {exit}\n{await job.DescribeAsync()}");
        Assert.Contains("this process was downed by the cluster's split-brain resolver: it could not reach a majority of the worker nodes", await job.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["out"]), "a failed job left an output directory");
    }
}
