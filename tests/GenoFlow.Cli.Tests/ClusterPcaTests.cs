using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>PCA and projection on three real node processes give the embedded single-node bytes, and move as many through the scratch store.</summary>
[Collection(ThreeNodeCollection.Name)]
public partial class ClusterPcaTests(ThreeNodeCluster cluster)
{
    [Fact]
    public async Task Pca_and_project_on_three_nodes_match_the_embedded_run()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "600", "--variants", "3000", "--populations", "3", "--missing-rate", "0.02", "--seed", "31");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "400", "--samples-per-tile", "128");
        string[] options = ["-k", "3", "--seed", "5", "--tolerance", "1e-4"];
        GenoFlowProcess.Result embedded = await GenoFlowProcess.RunOkAsync(["pca", dir["ds"], "--out", dir["embedded"], .. options]);
        GenoFlowProcess.Result embeddedProjection = await GenoFlowProcess.RunOkAsync("project", "--model", dir["embedded"], "--dataset", dir["ds"], "--out", dir["embedded-proj"]);

        ClusterNodes nodes = cluster.Nodes;
        GenoFlowProcess.Result onCluster = await GenoFlowProcess.RunOkAsync(["pca", dir["ds"], "--out", dir["cluster"], .. nodes.Client, "--min-workers", "3", .. options]);
        GenoFlowProcess.Result projectedOnCluster = await GenoFlowProcess.RunOkAsync(["project", "--model", dir["cluster"], "--dataset", dir["ds"], "--out", dir["cluster-proj"], .. nodes.Client, "--min-workers", "3"]);

        foreach (string file in new[] { "eigenvalues.tsv", "scores.tsv", "loadings.parquet" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(dir["embedded"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["cluster"], file))), $"{file} differs between the embedded and the cluster run");
        }
        Assert.True(File.ReadAllBytes(Path.Combine(dir["embedded-proj"], "scores.tsv")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["cluster-proj"], "scores.tsv"))), "projected scores differ");
        Assert.Equal(3, NodeTiles().Count(onCluster.StdOut));
        Assert.Matches(@"\(randomized, \d+ iterations\)", embedded.StdOut);
        ScratchFigures.AssertClusterMatches(embedded, onCluster);
        ScratchFigures.AssertClusterMatches(embeddedProjection, projectedOnCluster);
        // Scratch areas are gone: the embedded runs' default root beside the output, the cluster jobs' areas under the shared root.
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));
        Assert.Empty(Directory.GetDirectories(Path.Join(nodes.ScratchRoot, "jobs")));
    }

    [GeneratedRegex(@"akka\.tcp://genoflow@[\d.]+:\d+ [1-9]\d*")]
    private static partial Regex NodeTiles();
}
