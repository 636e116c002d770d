namespace GenoFlow.Cli.Tests;

public class LdPruneCommandTests
{
    [Fact]
    public async Task Ld_prune_keeps_the_variants_plink2_keeps()
    {
        using var dir = new TempDirectory();
        // Few samples and a low threshold: chance correlations give the greedy pass real work on independent variants.
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "300", "--variants", "2000", "--chromosomes", "2", "--missing-rate", "0.02");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "300", "--samples-per-tile", "128");

        GenoFlowProcess.Result result = await GenoFlowProcess.RunOkAsync("ld-prune", dir["ds"], "--out", dir["ld"], "--window-variants", "50", "--step", "5", "--r2", "0.02");
        await ExternalTool.RunAsync("plink2", "--bfile", dir["sim/cohort"], "--indep-pairwise", "50", "5", "0.02", "--out", dir["plink2"], "--silent");

        string[] kept = await File.ReadAllLinesAsync(dir["ld/prune.in"]);
        string[] removed = await File.ReadAllLinesAsync(dir["ld/prune.out"]);
        Assert.NotEmpty(removed);
        Assert.Equal(2000, kept.Length + removed.Length);
        Assert.Equal(await File.ReadAllLinesAsync(dir["plink2.prune.in"]), kept);
        Assert.Contains("tiles per node", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_cohort_with_ld_ld_prune_removes_a_substantial_share_and_keeps_what_plink2_keeps()
    {
        using var dir = new TempDirectory();
        GenoFlowProcess.Result simulated = await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "600", "--variants", "3000", "--chromosomes", "2",
            "--model", "mosaic", "--maf-min", "0.02", "--fst", "0.05", "--admixed", "0.1", "--order", "shuffled", "--missing-rate", "0.02", "--seed", "4");
        Assert.Contains("LD decay", simulated.StdOut, StringComparison.Ordinal);
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "300", "--samples-per-tile", "128");

        await GenoFlowProcess.RunOkAsync("ld-prune", dir["ds"], "--out", dir["ld"]);
        await ExternalTool.RunAsync("plink2", "--bfile", dir["sim/cohort"], "--indep-pairwise", "50", "5", "0.5", "--out", dir["plink2"], "--silent");

        string[] kept = await File.ReadAllLinesAsync(dir["ld/prune.in"]);
        string[] removed = await File.ReadAllLinesAsync(dir["ld/prune.out"]);
        Assert.Equal(3000, kept.Length + removed.Length);
        Assert.True(removed.Length > 0.15 * 3000, $"LD pruning (50 5 0.5) removed only {removed.Length} of 3000 variants");
        Assert.Equal(await File.ReadAllLinesAsync(dir["plink2.prune.in"]), kept);

        // The pair kernels' other paths: AVX2 (AVX-512 off) and scalar (hardware intrinsics off) give the same lists.
        foreach (var (name, variable) in new[] { ("avx2", "DOTNET_EnableAVX512F"), ("scalar", "DOTNET_EnableHWIntrinsic") })
        {
            GenoFlowProcess.Result other = await GenoFlowProcess.RunAsync(["ld-prune", dir["ds"], "--out", dir[$"ld-{name}"]], new Dictionary<string, string> { [variable] = "0" });
            Assert.True(other.ExitCode == 0, $"ld-prune with {variable}=0 failed: {other}");
            Assert.True(File.ReadAllBytes(dir["ld/prune.in"]).AsSpan().SequenceEqual(File.ReadAllBytes(dir[$"ld-{name}/prune.in"])), $"prune.in differs on the {name} path");
        }
    }

    [Fact]
    public async Task A_mosaic_option_without_the_mosaic_model_is_one_clear_error()
    {
        using var dir = new TempDirectory();
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["simulate", "--out", dir["sim"], "--samples", "10", "--variants", "10", "--admixed", "0.2"]);
        BadInputTests.AssertCleanFailure(result, "--admixed", "--model mosaic");
        GenoFlowProcess.Result pairs = await GenoFlowProcess.RunAsync(["simulate", "--out", dir["sim2"], "--samples", "10", "--variants", "10", "--model", "mosaic", "--first-degree-pairs", "9"]);
        BadInputTests.AssertCleanFailure(pairs, "relative pairs");
    }
}
