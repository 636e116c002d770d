using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>QC on a cluster of real node processes over TCP gives the embedded single-node answer, byte for byte.</summary>
public partial class ClusterQcTests
{
    private static readonly string[] OutputFiles = ["variant_qc.tsv", "sample_qc.tsv", "variants.keep", "samples.keep", "qc_filter.json"];

    [Fact]
    public async Task Qc_and_ld_prune_on_three_nodes_match_the_embedded_run_and_spread_the_tiles()
    {
        using var dir = new TempDirectory();
        await MakeDatasetAsync(dir, samples: 601, variants: 4000, variantsPerTile: 250, samplesPerTile: 128);
        string[] filters = ["--maf", "0.02", "--hwe", "1e-8", "--sample-max-missing", "0.1"];
        await GenoFlowProcess.RunOkAsync(["qc", dir["ds"], "--out", dir["embedded"], .. filters]);

        await using ClusterNodes nodes = await ClusterNodes.StartAsync(3);
        GenoFlowProcess.Result onCluster = await GenoFlowProcess.RunOkAsync(["qc", dir["ds"], "--out", dir["cluster"], "--cluster", nodes.Seed, "--min-workers", "3", .. filters]);

        AssertSameOutputs(dir["embedded"], dir["cluster"]);
        string[] workers = TileCounts(onCluster.StdOut).Keys.ToArray();

        await GenoFlowProcess.RunOkAsync("ld-prune", dir["ds"], "--out", dir["ld-embedded"], "--r2", "0.05");
        await GenoFlowProcess.RunOkAsync("ld-prune", dir["ds"], "--out", dir["ld-cluster"], "--r2", "0.05", "--cluster", nodes.Seed, "--min-workers", "3");
        Assert.Equal(await File.ReadAllBytesAsync(dir["ld-embedded/prune.in"]), await File.ReadAllBytesAsync(dir["ld-cluster/prune.in"]));
        Assert.Equal(nodes.Ports.Select(p => $"127.0.0.1:{p}").Order(StringComparer.Ordinal), workers.Order(StringComparer.Ordinal));
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
