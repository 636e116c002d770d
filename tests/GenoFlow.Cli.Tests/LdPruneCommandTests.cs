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
}
