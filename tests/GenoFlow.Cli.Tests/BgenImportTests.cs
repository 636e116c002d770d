using System.Globalization;
using System.Text;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// BGEN import against plink2: files plink2 writes (v1.1, v1.2 at several bit depths, v1.3), imported by both, must
/// give the same .bed bytes, .bim and .fam (<c>plink2 --bgen FILE ref-first [--sample FILE] --make-bed</c>).
/// </summary>
public class BgenImportTests
{
    public static TheoryData<string, bool> HardCallFormats => new()
    {
        // v1.1 has no sample identifier block: the .sample file is needed (by plink2 too).
        { "bgen-1.1", true },
        { "bgen-1.2 bits=8", true },
        { "bgen-1.2 bits=8", false },
        { "bgen-1.2 bits=16", true },
        { "bgen-1.3", true },
        { "bgen-1.3", false },
    };

    [Theory]
    [MemberData(nameof(HardCallFormats))]
    public async Task A_simulated_cohort_with_missing_calls_imports_as_plink2_reads_it_and_as_it_was(string format, bool withSampleFile)
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "203", "--variants", "900", "--missing-rate", "0.03", "--chromosomes", "2", "--seed", "4");
        await ExternalTool.RunAsync("plink2", ["--bfile", dir["sim/cohort"], "--export", .. format.Split(' '), "ref-first", "--out", dir["b"], "--silent"]);

        await AssertImportMatchesPlink2(dir, withSampleFile, []);
        Assert.Equal(await File.ReadAllBytesAsync(dir["sim/cohort.bed"]), await File.ReadAllBytesAsync(dir["g.bed"]));
    }

    public static TheoryData<string, string?> DosageCases => new()
    {
        { "bgen-1.1", null },
        { "bgen-1.2 bits=8", null },
        { "bgen-1.2 bits=16", "0.2" },
        { "bgen-1.2 bits=5", "0.1" },
        { "bgen-1.3 bits=12", "0" },
        { "bgen-1.2 bits=1", null },
    };

    [Theory]
    [MemberData(nameof(DosageCases))]
    public async Task Dosages_become_the_hard_calls_plink2_makes(string format, string? threshold)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir["dosages.vcf"], TestVcfs.Dosages(seed: 7, samples: 97, variants: 300, phased: false));
        await ExternalTool.RunAsync("plink2", ["--vcf", dir["dosages.vcf"], "dosage=DS", "--export", .. format.Split(' '), "ref-first", "--out", dir["b"], "--silent"]);

        string[] extra = threshold is null ? [] : ["--hard-call-threshold", threshold];
        await AssertImportMatchesPlink2(dir, withSampleFile: true, extra);
        await AssertSomeCallsAreMissing(dir["g.bed"]);
    }

    [Theory]
    [InlineData("bgen-1.2 bits=8")]
    [InlineData("bgen-1.3 bits=16")]
    public async Task Phased_haplotype_dosages_become_the_hard_calls_plink2_makes(string format)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir["phased.vcf"], TestVcfs.Dosages(seed: 9, samples: 51, variants: 200, phased: true));
        await ExternalTool.RunAsync("plink2", ["--vcf", dir["phased.vcf"], "dosage=HDS", "--export", .. format.Split(' '), "ref-first", "--out", dir["b"], "--silent"]);

        await AssertImportMatchesPlink2(dir, withSampleFile: false, []);
        await AssertSomeCallsAreMissing(dir["g.bed"]);
    }

    [Theory]
    [InlineData(false, "0.1")]
    [InlineData(false, "0.007843")]
    [InlineData(false, "0")]
    [InlineData(true, "0.2")]
    [InlineData(true, "0.007843")]
    public async Task Every_8_bit_probability_pair_is_called_as_plink2_calls_it(bool phased, string threshold)
    {
        // Variant i, sample j: P(AA) = i and P(AB) = min(j, 255 - i) in 255ths (unphased), or P(hap1 = A) = i and
        // P(hap2 = A) = j (phased): every pair an 8-bit file can hold, including those whose dosage lands next to
        // the threshold (0.007843 puts it 128/16384 from a genotype, where plink2's rounding decides).
        using var dir = new TempDirectory();
        string[] samples = Enumerable.Range(0, 256).Select(j => $"s{j}").ToArray();
        var bgen = new BgenBuilder(samples.Length, samples);
        for (int i = 0; i < 256; i++)
        {
            ulong[] values = Enumerable.Range(0, 256).SelectMany(j => new[] { (ulong)i, (ulong)(phased ? j : Math.Min(j, 255 - i)) }).ToArray();
            bgen.Add(new BgenBuilder.Variant("1", (uint)(i + 1), $"v{i}", ["A", "G"], Enumerable.Repeat((byte)2, 256).ToArray(), phased, 8, values));
        }
        bgen.Write(dir["b.bgen"]);

        await AssertImportMatchesPlink2(dir, withSampleFile: false, ["--hard-call-threshold", threshold]);
        await AssertSomeCallsAreMissing(dir["g.bed"]);
    }

    [Theory]
    [InlineData(false, 8)]
    [InlineData(false, 16)]
    [InlineData(true, 10)]
    public async Task Haploid_ploidy_0_and_missing_samples_are_called_as_plink2_calls_them(bool phased, int bits)
    {
        // Variable ploidy per sample (2, 1, 0, and the missing flag on 2 and 1) with random probabilities.
        using var dir = new TempDirectory();
        var random = new Random(bits);
        string[] samples = Enumerable.Range(0, 40).Select(j => $"s{j}").ToArray();
        byte[] ploidies = [2, 2, 2, 1, 1, 0, 0x82, 0x81];
        ulong mask = (1UL << bits) - 1;
        var bgen = new BgenBuilder(samples.Length, samples);
        for (int v = 0; v < 60; v++)
        {
            byte[] ploidy = samples.Select(_ => ploidies[random.Next(ploidies.Length)]).ToArray();
            var values = new List<ulong>();
            foreach (byte p in ploidy)
            {
                int z = p & 0x3F;
                if (phased || z == 1)
                {
                    values.AddRange(Enumerable.Range(0, z).Select(_ => (ulong)random.NextInt64((long)mask + 1)));
                }
                else if (z == 2)
                {
                    ulong aa = (ulong)random.NextInt64((long)mask + 1);
                    values.Add(aa);
                    values.Add((ulong)random.NextInt64((long)(mask - aa) + 1));
                }
            }
            bgen.Add(new BgenBuilder.Variant("1", (uint)(v + 1), $"v{v}", ["A", "G"], ploidy, phased, bits, values.ToArray()));
        }
        bgen.Write(dir["b.bgen"]);

        await AssertImportMatchesPlink2(dir, withSampleFile: false, ["--hard-call-threshold", "0.3"]);
        await AssertSomeCallsAreMissing(dir["g.bed"]);
    }

    [Theory]
    [InlineData(0, 8)]
    [InlineData(1, 32)]
    [InlineData(2, 3)]
    public async Task Multi_allelic_haploid_and_phased_variants_import_as_the_same_calls_in_a_vcf(int compression, int bits)
    {
        using var dir = new TempDirectory();
        string[] samples = ["a", "b", "c", "d", "e", "f"];
        var bgen = new BgenBuilder(samples.Length, samples, compression);
        var vcf = new StringBuilder("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + string.Join('\t', samples) + "\n");
        void Add(uint pos, string[] alleles, string[] calls, bool phased)
        {
            bgen.Add(BgenBuilder.FromCalls("2", pos, $"v{pos}", alleles, calls, phased, bits));
            vcf.Append(CultureInfo.InvariantCulture, $"2\t{pos}\tv{pos}\t{alleles[0]}\t{string.Join(',', alleles[1..])}\t.\t.\t.\tGT\t{string.Join('\t', calls)}\n");
        }
        Add(100, ["A", "C", "T"], ["0/0", "0/1", "1/2", "2/2", "./.", "0/2"], phased: false);
        Add(200, ["G", "A"], ["1", "0", "0/1", "1/1", ".", "0/0"], phased: false);
        Add(300, ["T", "G", "C", "A"], ["0|3", "2|1", "1|1", ".|.", "3|3", "0|0"], phased: true);
        Add(400, ["C", "CA"], ["1|0", "1", "0|0", "1|1", "0", "."], phased: true);
        bgen.Write(dir["multi.bgen"]);
        await File.WriteAllTextAsync(dir["multi.vcf"], vcf.ToString());

        await GenoFlowProcess.RunOkAsync("import", "--bgen", dir["multi.bgen"], "--out", dir["from-bgen"]);
        await GenoFlowProcess.RunOkAsync("import", "--vcf", dir["multi.vcf"], "--out", dir["from-vcf"]);
        await GenoFlowProcess.RunOkAsync("export", dir["from-bgen"], "--bed", dir["bgen-back"]);
        await GenoFlowProcess.RunOkAsync("export", dir["from-vcf"], "--bed", dir["vcf-back"]);

        Assert.Equal(await File.ReadAllBytesAsync(dir["vcf-back.bed"]), await File.ReadAllBytesAsync(dir["bgen-back.bed"]));
        Assert.Equal(await File.ReadAllTextAsync(dir["vcf-back.bim"]), await File.ReadAllTextAsync(dir["bgen-back.bim"]));
        Assert.Equal(2 + 1 + 3 + 1, (await File.ReadAllLinesAsync(dir["bgen-back.bim"])).Length);
    }

    /// <summary>Imports b.bgen with GenoFlow and plink2 and compares the PLINK 1 filesets they give (g.* and p.*).</summary>
    private static async Task AssertImportMatchesPlink2(TempDirectory dir, bool withSampleFile, string[] extra)
    {
        string[] sample = withSampleFile ? ["--sample", dir["b.sample"]] : [];
        await ExternalTool.RunAsync("plink2", ["--bgen", dir["b.bgen"], "ref-first", .. sample, .. extra, "--make-bed", "--out", dir["p"], "--silent"]);
        await GenoFlowProcess.RunOkAsync(["import", "--bgen", dir["b.bgen"], .. sample, .. extra, "--out", dir["ds"], "--variants-per-tile", "128", "--samples-per-tile", "64"]);
        await GenoFlowProcess.RunOkAsync("export", dir["ds"], "--bed", dir["g"]);

        Assert.Equal(await File.ReadAllBytesAsync(dir["p.bed"]), await File.ReadAllBytesAsync(dir["g.bed"]));
        Assert.Equal(await File.ReadAllTextAsync(dir["p.bim"]), await File.ReadAllTextAsync(dir["g.bim"]));
        Assert.Equal(await File.ReadAllTextAsync(dir["p.fam"]), await File.ReadAllTextAsync(dir["g.fam"]));
    }

    /// <summary>The threshold must have been exercised: uncertain dosages give missing calls.</summary>
    private static async Task AssertSomeCallsAreMissing(string bed)
    {
        byte[] bytes = await File.ReadAllBytesAsync(bed);
        Assert.Contains(bytes.Skip(3), b => (b & 3) == 1 || ((b >> 2) & 3) == 1 || ((b >> 4) & 3) == 1 || ((b >> 6) & 3) == 1);
    }
}
