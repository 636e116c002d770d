using System.Buffers.Binary;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// PLINK 2 fileset import against plink2: .pgen files plink2 writes, imported by GenoFlow and exported as PLINK 1, must
/// equal <c>plink2 --pfile PREFIX --make-bed</c> byte for byte; multi-allelic ones (which .bed cannot hold) must equal
/// GenoFlow's import of the VCF they came from.
/// </summary>
public class PgenImportTests
{
    [Theory]
    [InlineData(false, "0.02")]
    [InlineData(true, "0.02")]
    [InlineData(false, "0")]
    public async Task A_simulated_cohort_with_and_without_missing_calls_imports_as_plink2_reads_it(bool vzs, string missingRate)
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "301", "--variants", "1200", "--missing-rate", missingRate, "--chromosomes", "3", "--seed", "8");
        await ExternalTool.RunAsync("plink2", ["--bfile", dir["sim/cohort"], "--make-pgen", .. (vzs ? new[] { "vzs" } : []), "--out", dir["pf"], "--silent"]);
        Assert.Equal(vzs, File.Exists(dir["pf.pvar.zst"]));

        await AssertImportMatchesPlink2(dir, vzs);
        Assert.Equal(await File.ReadAllBytesAsync(dir["sim/cohort.bed"]), await File.ReadAllBytesAsync(dir["g.bed"]));
    }

    [Fact]
    public async Task Every_hard_call_record_type_plink2_writes_imports_as_plink2_reads_it()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir["ld.vcf"], TestVcfs.Structured(seed: 1, samples: 600, variants: 400, multiAllelic: false, phased: false));
        await ExternalTool.RunAsync("plink2", "--vcf", dir["ld.vcf"], "--make-pgen", "--out", dir["pf"], "--silent");
        // 2-bit, 1-bit, LD-compressed, LD-compressed with REF/ALT swapped, and difference lists against REF/REF and ALT/ALT.
        Assert.Superset(new HashSet<int> { 0, 1, 2, 3, 4, 6 }, RecordTypes(dir["pf.pgen"]));

        await AssertImportMatchesPlink2(dir, vzs: false);
    }

    [Theory]
    [InlineData("DS", false)]
    [InlineData("HDS", true)]
    public async Task Dosage_and_phase_tracks_leave_the_hard_calls_plink2_reads(string field, bool phased)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir["d.vcf"], TestVcfs.Dosages(seed: 5, samples: 83, variants: 250, phased));
        await ExternalTool.RunAsync("plink2", "--vcf", dir["d.vcf"], $"dosage={field}", "--make-pgen", "--out", dir["pf"], "--silent");
        Assert.Contains(RecordTypes(dir["pf.pgen"]), t => (t & 0x60) != 0);

        await AssertImportMatchesPlink2(dir, vzs: false);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Multi_allelic_sites_are_split_as_vcf_import_splits_them(bool phased)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir["m.vcf"], TestVcfs.Structured(seed: 3, samples: 700, variants: 500, multiAllelic: true, phased));
        await ExternalTool.RunAsync("plink2", "--vcf", dir["m.vcf"], "--make-pgen", "--out", dir["pf"], "--silent");
        Assert.Contains(RecordTypes(dir["pf.pgen"]), t => (t & 8) != 0);

        await GenoFlowProcess.RunOkAsync("import", "--pfile", dir["pf"], "--out", dir["from-pgen"], "--variants-per-tile", "100", "--samples-per-tile", "128");
        await GenoFlowProcess.RunOkAsync("import", "--vcf", dir["m.vcf"], "--out", dir["from-vcf"], "--variants-per-tile", "100", "--samples-per-tile", "128");
        await GenoFlowProcess.RunOkAsync("export", dir["from-pgen"], "--bed", dir["pgen-back"]);
        await GenoFlowProcess.RunOkAsync("export", dir["from-vcf"], "--bed", dir["vcf-back"]);

        Assert.Equal(await File.ReadAllBytesAsync(dir["vcf-back.bed"]), await File.ReadAllBytesAsync(dir["pgen-back.bed"]));
        Assert.Equal(await File.ReadAllTextAsync(dir["vcf-back.bim"]), await File.ReadAllTextAsync(dir["pgen-back.bim"]));
        Assert.True((await File.ReadAllLinesAsync(dir["pgen-back.bim"])).Length > 500, "multi-allelic sites must add rows");
    }

    [Fact]
    public async Task Export_writes_a_pgen_plink2_reads_back_to_the_same_genotypes()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "157", "--variants", "900", "--missing-rate", "0.03", "--chromosomes", "2", "--seed", "6");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "200", "--samples-per-tile", "64", "--release", "r1");
        await GenoFlowProcess.RunOkAsync("export", dir["ds"], "--pfile", dir["out"]);
        await ExternalTool.RunAsync("plink2", "--pfile", dir["out"], "--make-bed", "--out", dir["p"], "--silent");

        Assert.Equal(await File.ReadAllBytesAsync(dir["sim/cohort.bed"]), await File.ReadAllBytesAsync(dir["p.bed"]));
        Assert.Equal(await File.ReadAllTextAsync(dir["sim/cohort.bim"]), await File.ReadAllTextAsync(dir["p.bim"]));
        Assert.Equal(await File.ReadAllTextAsync(dir["sim/cohort.fam"]), await File.ReadAllTextAsync(dir["p.fam"]));

        await GenoFlowProcess.RunOkAsync("import", "--pfile", dir["out"], "--out", dir["again"], "--variants-per-tile", "200", "--samples-per-tile", "64", "--release", "r1");
        DatasetFiles.AssertIdentical(dir["ds"], dir["again"]);
    }

    /// <summary>Imports pf.* with GenoFlow and plink2 and compares the PLINK 1 filesets they give (g.* and p.*).</summary>
    private static async Task AssertImportMatchesPlink2(TempDirectory dir, bool vzs)
    {
        await ExternalTool.RunAsync("plink2", ["--pfile", dir["pf"], .. (vzs ? new[] { "vzs" } : []), "--make-bed", "--out", dir["p"], "--silent"]);
        await GenoFlowProcess.RunOkAsync("import", "--pfile", dir["pf"], "--out", dir["ds"], "--variants-per-tile", "128", "--samples-per-tile", "64");
        await GenoFlowProcess.RunOkAsync("export", dir["ds"], "--bed", dir["g"]);

        Assert.Equal(await File.ReadAllBytesAsync(dir["p.bed"]), await File.ReadAllBytesAsync(dir["g.bed"]));
        Assert.Equal(await File.ReadAllTextAsync(dir["p.bim"]), await File.ReadAllTextAsync(dir["g.bim"]));
        Assert.Equal(await File.ReadAllTextAsync(dir["p.fam"]), await File.ReadAllTextAsync(dir["g.fam"]));
    }

    /// <summary>The record types of a variable-width .pgen of fewer than 65,536 variants (read from its header).</summary>
    internal static HashSet<int> RecordTypes(string pgen)
    {
        byte[] bytes = File.ReadAllBytes(pgen);
        Assert.Equal(0x10, bytes[2]);
        int variants = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(3));
        bool eightBit = (bytes[11] & 4) != 0;
        const int typesAt = 12 + 8;
        return Enumerable.Range(0, variants)
            .Select(i => eightBit ? bytes[typesAt + i] : (bytes[typesAt + (i / 2)] >> (4 * (i % 2))) & 15)
            .ToHashSet();
    }
}
