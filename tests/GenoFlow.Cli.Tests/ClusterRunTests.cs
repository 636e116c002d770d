using System.Text.Json;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// A whole pipeline run on two real node processes gives the embedded run's bytes, and run.json shows both nodes'
/// shares and the same scratch store bytes.
/// </summary>
public class ClusterRunTests
{
    [Fact]
    public async Task The_example_pipeline_on_two_nodes_matches_the_embedded_run_and_records_each_nodes_share()
    {
        using var dir = new TempDirectory();
        string pipeline = RunCommandTests.ExamplePipeline();
        await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["embedded"]);

        await using ClusterNodes nodes = await ClusterNodes.StartAsync(2);
        await GenoFlowProcess.RunOkAsync(["run", pipeline, "--run-dir", dir["cluster"], .. nodes.Client, "--min-workers", "2"]);

        Assert.Equal(RunCommandTests.Snapshot(dir["embedded"], exceptInputs: true),
            RunCommandTests.Snapshot(dir["cluster"], exceptInputs: true, (dir["cluster"], dir["embedded"])));
        using JsonDocument record = JsonDocument.Parse(File.ReadAllBytes(Path.Join(dir["cluster"], "run.json")));
        JsonElement pca = record.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "pca");
        JsonElement perNode = pca.GetProperty("nodes").GetProperty("tiles");
        Assert.Equal(2, perNode.EnumerateObject().Count());
        Assert.All(perNode.EnumerateObject(), node => Assert.True(node.Value.GetInt64() > 0, $"{node.Name} computed no tile of the PCA"));
        Assert.True(pca.GetProperty("jobs").GetInt32() > 2);

        // Bytes through the scratch store, exact: the workers' replies report what the in-process units count (a
        // retried request whose first attempt also replied would count twice, so only an undisturbed run must match).
        using JsonDocument embedded = JsonDocument.Parse(File.ReadAllBytes(Path.Join(dir["embedded"], "run.json")));
        JsonElement embeddedPca = embedded.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "pca");
        Assert.True(embeddedPca.GetProperty("scratch_written").GetInt64() > 0 && embeddedPca.GetProperty("scratch_read").GetInt64() > 0);
        Assert.Equal(0, embeddedPca.GetProperty("message_bytes").GetInt64());
        Assert.True(pca.GetProperty("message_bytes").GetInt64() > 0);
        if (pca.GetProperty("retries").GetInt64() == 0)
        {
            Assert.Equal(embeddedPca.GetProperty("scratch_written").GetInt64(), pca.GetProperty("scratch_written").GetInt64());
            Assert.Equal(embeddedPca.GetProperty("scratch_read").GetInt64(), pca.GetProperty("scratch_read").GetInt64());
        }
    }
}
