namespace GenoFlow.Cli.Tests;

public class RoundTripTests
{
    [Fact]
    public async Task Bed_import_then_export_gives_back_the_same_bytes()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "1003", "--variants", "3000", "--missing-rate", "0.02", "--chromosomes", "3", "--seed", "11");
        // Small tiles so the round trip crosses many region and sample-block boundaries.
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "256", "--samples-per-tile", "200");
        await GenoFlowProcess.RunOkAsync("export", dir["ds"], "--bed", dir["back"]);

        Assert.Equal(await File.ReadAllBytesAsync(dir["sim/cohort.bed"]), await File.ReadAllBytesAsync(dir["back.bed"]));
        Assert.Equal(await File.ReadAllTextAsync(dir["sim/cohort.bim"]), await File.ReadAllTextAsync(dir["back.bim"]));
        Assert.Equal(await File.ReadAllTextAsync(dir["sim/cohort.fam"]), await File.ReadAllTextAsync(dir["back.fam"]));
    }

    [Fact]
    public async Task Vcf_import_export_import_gives_an_identical_dataset()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "301", "--variants", "2000", "--format", "vcf", "--chromosomes", "2", "--seed", "5");
        await GenoFlowProcess.RunOkAsync("import", "--vcf", dir["sim/cohort.vcf.gz"], "--out", dir["first"], "--release", "r1", "--variants-per-tile", "300", "--samples-per-tile", "64");
        await GenoFlowProcess.RunOkAsync("export", dir["first"], "--vcf", dir["exported.vcf.gz"]);
        await GenoFlowProcess.RunOkAsync("import", "--vcf", dir["exported.vcf.gz"], "--out", dir["second"], "--release", "r1", "--variants-per-tile", "300", "--samples-per-tile", "64");

        DatasetFiles.AssertIdentical(dir["first"], dir["second"]);
    }

    [Fact]
    public async Task Vcf_and_bed_of_one_cohort_import_to_the_same_genotypes_and_match_plink2()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "150", "--variants", "1500", "--format", "both", "--missing-rate", "0.05", "--seed", "3");
        await GenoFlowProcess.RunOkAsync("import", "--vcf", dir["sim/cohort.vcf.gz"], "--out", dir["from-vcf"]);
        await GenoFlowProcess.RunOkAsync("export", dir["from-vcf"], "--bed", dir["vcf-back"]);
        await ExternalTool.RunAsync("plink2", "--vcf", dir["sim/cohort.vcf.gz"], "--make-bed", "--out", dir["plink2"], "--silent");

        byte[] simulated = await File.ReadAllBytesAsync(dir["sim/cohort.bed"]);
        Assert.Equal(simulated, await File.ReadAllBytesAsync(dir["vcf-back.bed"]));
        Assert.Equal(await File.ReadAllBytesAsync(dir["plink2.bed"]), await File.ReadAllBytesAsync(dir["vcf-back.bed"]));
    }
}
