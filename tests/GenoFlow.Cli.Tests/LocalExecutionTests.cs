namespace GenoFlow.Cli.Tests;

/// <summary>
/// Without --cluster a job runs on the in-process executor; --embedded-cluster runs it on a single-node Akka cluster in
/// the process instead. Both give the same bytes, and each says where its tiles were computed.
/// </summary>
public class LocalExecutionTests
{
    [Fact]
    public async Task Qc_ld_prune_and_pca_run_in_process_by_default_and_match_the_embedded_cluster_byte_for_byte()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "211", "--variants", "900", "--missing-rate", "0.02", "--model", "mosaic");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "200", "--samples-per-tile", "128");

        foreach (string[] job in new[] { new[] { "qc", dir["ds"], "--no-result-store" }, ["ld-prune", dir["ds"], "--no-result-store"], ["pca", dir["ds"], "-k", "3"] })
        {
            string local = dir[$"{job[0]}-local"], embedded = dir[$"{job[0]}-embedded"];
            GenoFlowProcess.Result inProcess = await GenoFlowProcess.RunOkAsync([.. job, "--out", local]);
            GenoFlowProcess.Result cluster = await GenoFlowProcess.RunOkAsync([.. job, "--out", embedded, "--embedded-cluster"]);

            Assert.Contains("tiles per node: in-process ", inProcess.StdOut, StringComparison.Ordinal);
            Assert.Contains("tiles per node: akka.tcp://genoflow@127.0.0.1:", cluster.StdOut, StringComparison.Ordinal);
            string[] files = [.. Directory.EnumerateFiles(local).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
            Assert.NotEmpty(files);
            Assert.Equal(files, Directory.EnumerateFiles(embedded).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (string file in files)
            {
                byte[] expected = await File.ReadAllBytesAsync(Path.Join(embedded, file));
                byte[] actual = await File.ReadAllBytesAsync(Path.Join(local, file));
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{job[0]}: {file} differs");
            }
        }
    }

    [Fact]
    public async Task Cluster_and_embedded_cluster_together_are_refused_naming_both_and_write_nothing()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "10", "--variants", "10");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"]);

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["qc", dir["ds"], "--out", dir["qc"], "--cluster", "127.0.0.1:1", "--embedded-cluster"]);

        BadInputTests.AssertCleanFailure(result, "--cluster", "--embedded-cluster");
        Assert.False(Directory.Exists(dir["qc"]));
    }
}
