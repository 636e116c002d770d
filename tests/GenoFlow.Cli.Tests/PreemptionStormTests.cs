using System.Globalization;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// A preemption storm during one PCA: workers are killed (kill -9) and replaced by new ones again and again while it
/// runs, as preemptible machines are; the PCA completes with the undisturbed run's bytes. Real node processes over TCP.
/// Smoke size by default (5 kill/replace cycles); GENOFLOW_FULL_FAULTS=1 runs 15 cycles during a longer PCA.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class PreemptionStormTests(FailoverCohort cohort)
{
    private static readonly bool Full = Environment.GetEnvironmentVariable("GENOFLOW_FULL_FAULTS") == "1";
    private static readonly int Cycles = Full ? 15 : 5;
    private static readonly string Iterations = Full ? "100" : "30";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(Full ? 20 : 6);

    [Fact]
    public async Task A_pca_survives_workers_killed_and_replaced_again_and_again()
    {
        using var dir = new TempDirectory();
        // A tolerance it cannot reach: the PCA runs exactly its iteration limit, long enough for every cycle.
        string[] pca = ["pca", cohort["ds"], "-k", "3", "--seed", "5", "--tolerance", "1e-300", "--max-iterations", Iterations];
        await GenoFlowProcess.RunOkAsync([.. pca, "--out", dir["reference"]]);
        string config = await FailoverCohort.WriteDebugConfigAsync(dir["workers.conf"]);
        await using ClusterNodes nodes = await ClusterNodes.StartAsync(3, config);

        using RunningJob job = RunningJob.Start([.. pca, "--out", dir["out"], .. nodes.Client, "--min-workers", "3", "--config", cohort.ClientConfig]);
        await Task.Run(async () =>
        {
            // The seed (node 0) stays: the job joined through it. Each cycle waits until the job's work reaches the
            // oldest other worker, kills it, and starts a replacement, which joins once the resolver has downed the
            // dead one (a member cannot join while another is unreachable).
            int oldest = 1;
            for (int cycle = 0; cycle < Cycles; cycle++)
            {
                await nodes.WaitForLogAsync(oldest, Deadline, "Started entity");
                Assert.False(job.HasExited, $"the pca finished after {cycle} of {Cycles} cycles; give it more iterations");
                nodes.Kill(oldest++);
                await nodes.AddAsync(["--config", config]);
            }
        });
        Assert.False(job.HasExited, "the pca finished during the last cycle; give it more iterations");
        int exit = await job.WaitForExitAsync(Deadline);

        Assert.True(exit == 0, $"pca failed in a preemption storm: exit {exit}\n{await job.DescribeAsync()}");
        foreach (string file in new[] { "eigenvalues.tsv", "scores.tsv", "loadings.parquet", "model.json" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(dir["reference"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["out"], file))), $"{file} differs from the undisturbed run");
        }
        // Units were computed by more distinct workers than ever ran at once: the replacements took part.
        int nodesThatComputed = (await job.StdOut).Split("akka.tcp://genoflow@").Length - 1;
        Assert.True(nodesThatComputed > 3, $"only {nodesThatComputed.ToString(CultureInfo.InvariantCulture)} nodes computed tiles\n{await job.StdOut}");
    }
}
