using System.Text.Json;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// The result store through the command line, with real processes: qc and ld-prune keep their tile partials beside the
/// dataset (or in --result-store DIR) and a rerun computes nothing, with the same output bytes; --no-result-store keeps
/// nothing; a forced pipeline stage takes its tiles from the store and run.json says so.
/// </summary>
public class ResultStoreCommandTests
{
    [Fact]
    public async Task Qc_and_ld_prune_reuse_their_tiles_on_a_rerun_and_give_the_same_files()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "300", "--variants", "900", "--model", "mosaic");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "128", "--samples-per-tile", "128");

        GenoFlowProcess.Result first = await GenoFlowProcess.RunOkAsync("qc", dir["ds"], "--out", dir["qc1"], "--maf", "0.05");
        int tiles = Directory.GetFiles(dir["ds.results"], "*.partial").Length;
        Assert.True(tiles >= 8 * 3, $"900 x 300 in 128 x 128 tiles makes at least 24 tiles; {tiles} stored");
        GenoFlowProcess.Result second = await GenoFlowProcess.RunOkAsync("qc", dir["ds"], "--out", dir["qc2"], "--maf", "0.05");
        GenoFlowProcess.Result none = await GenoFlowProcess.RunOkAsync("qc", dir["ds"], "--out", dir["qc3"], "--maf", "0.05", "--no-result-store");

        Assert.Contains($"result store: {tiles} computed, 0 from store", first.StdOut, StringComparison.Ordinal);
        Assert.Contains($"result store: 0 computed, {tiles} from store", second.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("result store", none.StdOut, StringComparison.Ordinal);
        DatasetFiles.AssertIdentical(dir["qc3"], dir["qc1"]);
        DatasetFiles.AssertIdentical(dir["qc3"], dir["qc2"]);

        GenoFlowProcess.Result ld1 = await GenoFlowProcess.RunOkAsync("ld-prune", dir["ds"], "--out", dir["ld1"], "--result-store", dir["store"], "--result-store-mb", "64");
        GenoFlowProcess.Result ld2 = await GenoFlowProcess.RunOkAsync("ld-prune", dir["ds"], "--out", dir["ld2"], "--result-store", dir["store"]);
        await GenoFlowProcess.RunOkAsync("ld-prune", dir["ds"], "--out", dir["ld3"], "--no-result-store");

        Assert.Contains($"result store: {tiles} computed, 0 from store", ld1.StdOut, StringComparison.Ordinal);
        Assert.Contains($"result store: 0 computed, {tiles} from store", ld2.StdOut, StringComparison.Ordinal);
        Assert.Equal(tiles, Directory.GetFiles(dir["store"], "*.partial").Length);
        DatasetFiles.AssertIdentical(dir["ld3"], dir["ld1"]);
        DatasetFiles.AssertIdentical(dir["ld3"], dir["ld2"]);
    }

    [Fact]
    public async Task Contradicting_store_options_are_refused_before_anything_runs()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "40", "--variants", "50");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"]);

        GenoFlowProcess.Result both = await GenoFlowProcess.RunAsync(["qc", dir["ds"], "--out", dir["qc"], "--no-result-store", "--result-store", dir["store"]]);
        GenoFlowProcess.Result zero = await GenoFlowProcess.RunAsync(["ld-prune", dir["ds"], "--out", dir["ld"], "--result-store-mb", "0"]);

        BadInputTests.AssertCleanFailure(both, "--no-result-store", "cannot be combined with --result-store");
        BadInputTests.AssertCleanFailure(zero, "--result-store-mb", "must be positive");
        Assert.False(Directory.Exists(dir["qc"]) || Directory.Exists(dir["ld"]) || Directory.Exists(dir["store"]) || Directory.Exists(dir["ds.results"]));
    }

    [Fact]
    public async Task A_forced_pipeline_stage_takes_its_tiles_from_the_store_and_run_json_counts_them()
    {
        using var dir = new TempDirectory();
        string pipeline = dir["p.yaml"];
        File.WriteAllText(pipeline, """
            version: 1
            inputs:
              cohort:
                simulate: { samples: 200, variants: 600, seed: 3 }
            stages:
              qc:
                kind: qc
                dataset: cohort
                maf: 0.01
            """);
        await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"], "--result-store", dir["store"]);
        await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"], "--result-store", dir["store"], "--force", "qc");

        JsonElement qc = JsonDocument.Parse(File.ReadAllText(Path.Join(dir["run"], "run.json"))).RootElement.GetProperty("steps").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString() == "qc");
        Assert.Equal("done", qc.GetProperty("state").GetString());
        Assert.Equal(0, qc.GetProperty("computed").GetInt64());
        int entries = Directory.GetFiles(dir["store"], "*.partial").Length;
        Assert.True(entries > 0, "the first run stores its tiles");
        Assert.Equal(entries, qc.GetProperty("from_store").GetInt64());
    }
}
