using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Scale-out: a worker that joins while a long job runs receives shards by rebalancing and computes part of the job,
/// and the bytes do not change. Real node processes over TCP.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed partial class ScaleOutTests(FailoverCohort cohort)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_worker_joining_mid_pca_computes_part_of_it_and_the_bytes_do_not_change()
    {
        using var dir = new TempDirectory();
        // The shipped rebalancing limits (cluster-config/genoflow.conf) with a shorter round, so that the smoke-size PCA
        // (about 15 s on three nodes) is still running when the first round after the join moves shards.
        string config = dir["workers.conf"];
        await File.WriteAllTextAsync(config, FailoverCohort.FastFailover + "\nakka.loglevel = DEBUG\nakka.cluster.sharding.rebalance-interval = 2s\n");
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(2, config);

        using RunningJob job = RunningJob.Start([.. cohort.CommandFor("pca", dir["out"]), .. nodes.Client, "--min-workers", "2", "--config", cohort.ClientConfig]);
        // The job is under way on both workers before the third is started.
        int joiner = await Task.Run(async () =>
        {
            await nodes.WaitForLogAsync(1, Deadline, "Started entity");
            return await nodes.AddAsync(["--config", config]);
        });
        if (job.HasExited) Assert.Fail($"pca finished before the new worker was up: {await job.DescribeAsync()}"); // the message awaits the job's exit: build it only on failure
        int exit = await job.WaitForExitAsync(Deadline);

        Assert.True(exit == 0, $"pca failed after a worker joined: exit {exit}\n{await job.DescribeAsync()}");
        cohort.AssertSameAsReference("pca", dir["out"]);
        Match share = Regex.Match(await job.StdOut, $@"akka\.tcp://genoflow@127\.0\.0\.1:{nodes.Ports[joiner]} (?<tiles>\d+)");
        Assert.True(share.Success && int.Parse(share.Groups["tiles"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0,
            $"the worker that joined mid-job computed no tile\n{await job.StdOut}");
    }
}
