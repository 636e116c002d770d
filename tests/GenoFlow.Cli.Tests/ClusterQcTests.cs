using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>QC on a cluster of real node processes over TCP gives the embedded single-node answer, byte for byte.</summary>
[Collection(ThreeNodeCollection.Name)]
public partial class ClusterQcTests(ThreeNodeCluster cluster)
{
    private static readonly string[] OutputFiles = ["variant_qc.tsv", "sample_qc.tsv", "variants.keep", "samples.keep", "qc_filter.json"];

    [Fact]
    public async Task Qc_and_ld_prune_on_three_nodes_match_the_embedded_run_and_spread_the_tiles()
    {
        using var dir = new TempDirectory();
        await MakeDatasetAsync(dir, samples: 601, variants: 4000, variantsPerTile: 250, samplesPerTile: 128);
        string[] filters = ["--maf", "0.02", "--hwe", "1e-8", "--sample-max-missing", "0.1"];
        await GenoFlowProcess.RunOkAsync(["qc", dir["ds"], "--out", dir["embedded"], .. filters]);

        ClusterNodes nodes = cluster.Nodes;
        // Without the result store the embedded run filled, so that the cluster computes every tile.
        GenoFlowProcess.Result onCluster = await GenoFlowProcess.RunOkAsync(["qc", dir["ds"], "--out", dir["cluster"], .. nodes.Client, "--min-workers", "3", "--no-result-store", .. filters]);

        AssertSameOutputs(dir["embedded"], dir["cluster"]);
        string[] workers = TileCounts(onCluster.StdOut).Keys.ToArray();

        await GenoFlowProcess.RunOkAsync("ld-prune", dir["ds"], "--out", dir["ld-embedded"], "--r2", "0.05");
        await GenoFlowProcess.RunOkAsync(["ld-prune", dir["ds"], "--out", dir["ld-cluster"], "--r2", "0.05", .. nodes.Client, "--min-workers", "3", "--no-result-store"]);
        Assert.Equal(await File.ReadAllBytesAsync(dir["ld-embedded/prune.in"]), await File.ReadAllBytesAsync(dir["ld-cluster/prune.in"]));
        Assert.Equal(nodes.Ports.Select(p => $"127.0.0.1:{p}").Order(StringComparer.Ordinal), workers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_job_client_whose_data_roots_do_not_hold_the_dataset_is_refused_before_any_work()
    {
        using var dir = new TempDirectory();
        await MakeDatasetAsync(dir, samples: 40, variants: 200, variantsPerTile: 50, samplesPerTile: 16);
        Directory.CreateDirectory(dir["elsewhere"]);
        ClusterNodes nodes = cluster.Nodes;

        GenoFlowProcess.Result outside = await GenoFlowProcess.RunAsync(["qc", dir["ds"], "--out", dir["qc"], "--cluster", nodes.Seed, "--data-root", dir["elsewhere"]]);
        GenoFlowProcess.Result unconfigured = await GenoFlowProcess.RunAsync(["qc", dir["ds"], "--out", dir["qc"], "--cluster", nodes.Seed]);

        Assert.Equal(1, outside.ExitCode);
        Assert.Contains($"genoflow: {dir["ds"]} is not under a data root of this node (data roots: {dir["elsewhere"]}); give the directory that holds it", outside.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, unconfigured.ExitCode);
        Assert.Contains("is not under a data root of this node (none configured)", unconfigured.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["qc"]), "nothing is published");
    }

    private static async Task MakeDatasetAsync(TempDirectory dir, int samples, int variants, int variantsPerTile, int samplesPerTile)
    {
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", $"{samples}", "--variants", $"{variants}", "--missing-rate", "0.02", "--seed", "21");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", $"{variantsPerTile}", "--samples-per-tile", $"{samplesPerTile}");
    }

    private static void AssertSameOutputs(string expected, string actual)
    {
        foreach (string file in OutputFiles)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs between the embedded and the cluster run");
        }
    }

    /// <summary>Parses "tiles per node: akka.tcp://genoflow@127.0.0.1:P N, ..." into host:port → tiles.</summary>
    private static Dictionary<string, int> TileCounts(string stdout) =>
        NodeTiles().Matches(stdout).ToDictionary(m => m.Groups["node"].Value, m => int.Parse(m.Groups["tiles"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"akka\.tcp://genoflow@(?<node>[\d.]+:\d+) (?<tiles>\d+)")]
    private static partial Regex NodeTiles();
}
