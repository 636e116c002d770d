namespace GenoFlow.Cli.Tests;

public class QcCommandTests
{
    [Fact]
    public async Task Qc_writes_tables_in_both_formats_and_keep_lists_that_follow_the_filters()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "403", "--variants", "1200", "--missing-rate", "0.03", "--fst", "0.2");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "128", "--samples-per-tile", "128");

        GenoFlowProcess.Result tsv = await GenoFlowProcess.RunOkAsync("qc", dir["ds"], "--out", dir["qc"], "--maf", "0.05", "--hwe", "1e-6");
        await GenoFlowProcess.RunOkAsync("qc", dir["ds"], "--out", dir["qc-parquet"], "--format", "parquet");

        string[] variantLines = await File.ReadAllLinesAsync(dir["qc/variant_qc.tsv"]);
        Assert.Equal("chrom\tpos\tid\tref\talt\tn_hom_ref\tn_het\tn_hom_alt\tn_missing\tcall_rate\talt_freq\thwe_p\tpass", variantLines[0]);
        Assert.Equal(1201, variantLines.Length);
        int passing = variantLines.Skip(1).Count(l => l.EndsWith("\ttrue", StringComparison.Ordinal));
        Assert.InRange(passing, 1, 1199);
        Assert.Equal(passing, (await File.ReadAllLinesAsync(dir["qc/variants.keep"])).Length);
        Assert.Contains($"variants: {passing:N0} of 1,200 pass", tsv.StdOut, StringComparison.Ordinal);
        Assert.Equal("sample_id\tn_called\tn_missing\tcall_rate\tn_het\tn_hom_alt\thet_rate\tpass", (await File.ReadAllLinesAsync(dir["qc/sample_qc.tsv"]))[0]);
        Assert.True(File.Exists(dir["qc-parquet/variant_qc.parquet"]) && File.Exists(dir["qc-parquet/sample_qc.parquet"]));
    }

    [Fact]
    public async Task Qc_of_a_missing_dataset_fails_cleanly_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["qc", dir["none"], "--out", dir["qc"]]);
        BadInputTests.AssertCleanFailure(result, "none", "not a GenoFlow dataset");
        Assert.False(Directory.Exists(dir["qc"]));
    }
}
