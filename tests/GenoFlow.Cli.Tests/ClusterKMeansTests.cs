using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// k-means on three real node processes (shards written to scratch, loaded by the workers) gives the bytes of the local
/// run (the in-process executor, shards held in memory).
/// </summary>
public partial class ClusterKMeansTests
{
    [Fact]
    public async Task Kmeans_on_three_nodes_matches_the_embedded_run()
    {
        using var dir = new TempDirectory();
        await KMeansCommandTests.WriteBlobsAsync(dir["blobs.tsv"], 6000, 5, 4, 9);
        string[] options = ["--input", dir["blobs.tsv"], "--columns", "x1,x2,x3,x4", "--k", "5", "--seed", "4", "--rows-per-shard", "500", "--batch-size", "300"];
        GenoFlowProcess.Result embedded = await GenoFlowProcess.RunOkAsync(["kmeans", "--out", dir["embedded"], .. options]);

        await using ClusterNodes nodes = await ClusterNodes.StartAsync(3);
        GenoFlowProcess.Result onCluster = await GenoFlowProcess.RunOkAsync(["kmeans", "--out", dir["cluster"], .. nodes.Client, "--min-workers", "3", .. options]);

        foreach (string file in new[] { "centroids.tsv", "assignments.tsv", "summary.json" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(dir["embedded"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["cluster"], file))), $"{file} differs between the embedded and the cluster run");
        }
        Assert.Equal(3, NodeShards().Count(onCluster.StdOut));
        Assert.Contains("sample shards per node: in-process ", embedded.StdOut, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));
    }

    [GeneratedRegex(@"akka\.tcp://genoflow@[\d.]+:\d+ [1-9]\d*")]
    private static partial Regex NodeShards();
}
