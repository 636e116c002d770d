namespace GenoFlow.Cli.Tests;

/// <summary>
/// k-means on three real node processes (shards written to scratch, loaded by the workers) gives the bytes of the local
/// run (the in-process executor, shards held in memory), with and without columns joined from a feature table. Each
/// job has 20 shards, so that on the shared cluster all three nodes get some (see <see cref="ClusterTrainTests.Cohort"/>).
/// </summary>
[Collection(ThreeNodeCollection.Name)]
public sealed class ClusterKMeansTests(ThreeNodeCluster cluster)
{
    private static readonly string[] Outputs = ["centroids.tsv", "assignments.tsv", "summary.json"];

    [Fact]
    public async Task Kmeans_on_three_nodes_matches_the_embedded_run()
    {
        using var dir = new TempDirectory();
        await KMeansCommandTests.WriteBlobsAsync(dir["blobs.tsv"], 6000, 5, 4, 9);
        string[] options = ["--input", dir["blobs.tsv"], "--columns", "x1,x2,x3,x4", "--k", "5", "--seed", "4", "--rows-per-shard", "300", "--batch-size", "300"];
        GenoFlowProcess.Result embedded = await GenoFlowProcess.RunOkAsync(["kmeans", "--out", dir["embedded"], .. options]);
        GenoFlowProcess.Result onCluster = await cluster.RunOkAsync(["kmeans", "--out", dir["cluster"], .. options]);

        ThreeNodeCluster.AssertSameBytes(dir["embedded"], dir["cluster"], Outputs, "kmeans");
        Assert.Equal(3, ThreeNodeCluster.NodesThatWorked(onCluster.StdOut));
        Assert.Contains("sample shards per node: in-process ", embedded.StdOut, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));
    }

    [Fact]
    public async Task Kmeans_with_a_feature_table_on_three_nodes_matches_the_embedded_run()
    {
        using var dir = new TempDirectory();
        await KMeansCommandTests.WriteBlobsAsync(dir["blobs.tsv"], 3000, 4, 4, 11);
        // x3 and x4 come from a second table in reverse order, with 5 samples absent and 3 cells missing.
        string[] blobs = await File.ReadAllLinesAsync(dir["blobs.tsv"]);
        await File.WriteAllLinesAsync(dir["extra.tsv"], ["sample_id\tx3\tx4", .. blobs.Skip(6).Reverse().Select((line, i) =>
        {
            string[] f = line.Split('\t');
            return $"{f[0]}\t{(i < 3 ? "NA" : f[4])}\t{f[5]}";
        })]);
        string[] options = ["--input", dir["blobs.tsv"], "--columns", "x1,x2", "--features", dir["extra.tsv"], "--k", "4", "--seed", "4", "--rows-per-shard", "150", "--batch-size", "200"];
        await GenoFlowProcess.RunOkAsync(["kmeans", "--out", dir["embedded"], .. options]);
        GenoFlowProcess.Result onCluster = await cluster.RunOkAsync(["kmeans", "--out", dir["cluster"], .. options]);

        ThreeNodeCluster.AssertSameBytes(dir["embedded"], dir["cluster"], Outputs, "kmeans --features");
        Assert.Equal("cluster\tx1\tx2\tx3\tx4", (await File.ReadAllLinesAsync(dir["cluster/centroids.tsv"]))[0]);
        Assert.Contains("5 samples absent, 3 missing values", onCluster.StdOut, StringComparison.Ordinal);
        Assert.Equal(3, ThreeNodeCluster.NodesThatWorked(onCluster.StdOut));
    }
}
