using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>Training and prediction on three real node processes give the embedded single-node bytes, and move as many through the scratch store.</summary>
public partial class ClusterTrainTests
{
    [Fact]
    public async Task Train_and_predict_on_three_nodes_match_the_embedded_run()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "900", "--variants", "500", "--populations", "3", "--seed", "21");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "128", "--samples-per-tile", "128");
        string[][] runs =
        [
            ["--target", "trait_b", "--model", "logistic", "--covariates", "age,sex", "--l2", "0.02", "--rounds", "60"],
            ["--target", "trait_q", "--model", "linear", "--l1", "0.01", "--l2", "0.1", "--local-epochs", "2", "--rounds", "40"],
            ["--target", "trait_q", "--model", "linear", "--aggregate", "exact"],
        ];
        string[] common = ["train", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--rows-per-shard", "100"];
        var embedded = new List<GenoFlowProcess.Result>();
        for (int i = 0; i < runs.Length; i++)
        {
            embedded.Add(await GenoFlowProcess.RunOkAsync([.. common, .. runs[i], "--out", dir[$"embedded{i}"]]));
        }
        await GenoFlowProcess.RunOkAsync("predict", "--model", dir["embedded0"], "--dataset", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--out", dir["embedded-pred"], "--rows-per-shard", "100");

        await using ClusterNodes nodes = await ClusterNodes.StartAsync(3);
        var outputs = new List<GenoFlowProcess.Result>();
        for (int i = 0; i < runs.Length; i++)
        {
            outputs.Add(await GenoFlowProcess.RunOkAsync([.. common, .. runs[i], "--out", dir[$"cluster{i}"], .. nodes.Client, "--min-workers", "3"]));
        }
        GenoFlowProcess.Result predicted = await GenoFlowProcess.RunOkAsync(["predict", "--model", dir["cluster0"], "--dataset", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--out", dir["cluster-pred"],
            "--rows-per-shard", "100", .. nodes.Client, "--min-workers", "3"]);

        for (int i = 0; i < runs.Length; i++)
        {
            foreach (string file in new[] { "model.json", "predictions.tsv", "metrics.json" })
            {
                Assert.True(File.ReadAllBytes(Path.Combine(dir[$"embedded{i}"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir[$"cluster{i}"], file))),
                    $"run {i}: {file} differs between the embedded and the cluster run");
            }
            Assert.Equal(3, NodeShards().Count(outputs[i].StdOut));
            // Each worker reads the shard set's manifest (a few KB) once more than the one in-process cache does.
            ScratchFigures.AssertClusterMatches(embedded[i], outputs[i], extraReadMegabytes: 0.02);
        }
        Assert.Equal(await File.ReadAllTextAsync(dir["embedded-pred/predictions.tsv"]), await File.ReadAllTextAsync(dir["cluster-pred/predictions.tsv"]));
        Assert.Equal(3, NodeShards().Count(predicted.StdOut));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));
    }

    [GeneratedRegex(@"akka\.tcp://genoflow@[\d.]+:\d+ [1-9]\d*")]
    private static partial Regex NodeShards();
}
