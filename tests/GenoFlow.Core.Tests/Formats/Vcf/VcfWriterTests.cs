using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;
using static GenoFlow.Core.Tests.Formats.Vcf.VcfTestFiles;

namespace GenoFlow.Core.Tests.Formats.Vcf;

public sealed class VcfWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (SampleInfo[] Samples, List<(VariantInfo Variant, sbyte[] AltCounts)> Records) RandomData(int sampleCount, int variantCount, int seed)
    {
        var random = new Random(seed);
        SampleInfo[] samples = Enumerable.Range(0, sampleCount).Select(i => SampleInfo.FromId($"sample_{i}")).ToArray();
        var records = new List<(VariantInfo, sbyte[])>();
        string[] bases = ["A", "C", "G", "T", "AT", "GCC"];
        for (int v = 0; v < variantCount; v++)
        {
            string chrom = v < variantCount / 3 ? "chr1" : v < 2 * variantCount / 3 ? "chr2" : "chrX";
            var variant = new VariantInfo(chrom, 1000 + v * 7, v % 5 == 0 ? "." : $"rs{v}", bases[random.Next(bases.Length)], bases[random.Next(4)]);
            var counts = new sbyte[sampleCount];
            for (int s = 0; s < sampleCount; s++)
            {
                counts[s] = (sbyte)(random.Next(4) - 1);
            }
            records.Add((variant, counts));
        }
        return (samples, records);
    }

    private string WriteRecords(string name, SampleInfo[] samples, List<(VariantInfo Variant, sbyte[] AltCounts)> records)
    {
        string path = _dir.File(name);
        byte[] row = new byte[PackedGenotypes.RowBytes(samples.Length)];
        using VcfWriter writer = VcfWriter.Create(path, samples);
        foreach (var (variant, counts) in records)
        {
            PackedGenotypes.Pack(counts, row);
            writer.Write(variant, row);
        }
        writer.Complete();
        return path;
    }

    [Theory]
    [InlineData("roundtrip.vcf", 13)]
    [InlineData("roundtrip.vcf.gz", 13)]
    [InlineData("four.vcf.gz", 4)]
    [InlineData("one.vcf", 1)]
    [InlineData("none.vcf", 0)]
    public void Writer_then_reader_gives_identical_rows_and_variants(string name, int sampleCount)
    {
        var (samples, records) = RandomData(sampleCount, 3000, seed: sampleCount);

        string path = WriteRecords(name, samples, records);
        using VcfReader reader = VcfReader.Open([path]);
        var back = Drain(reader);

        Assert.Equal(samples, reader.Samples);
        Assert.Equal(records.Select(r => r.Variant), back.Select(r => r.Variant));
        for (int i = 0; i < records.Count; i++)
        {
            Assert.Equal(records[i].AltCounts, back[i].AltCounts);
        }
        Assert.Equal(name.EndsWith(".gz", StringComparison.Ordinal), File.ReadAllBytes(path).AsSpan(0, 2).SequenceEqual(new byte[] { 0x1f, 0x8b }));
    }

    [Fact]
    public void Output_is_the_expected_text()
    {
        SampleInfo[] samples = [SampleInfo.FromId("a"), SampleInfo.FromId("b"), SampleInfo.FromId("c"), SampleInfo.FromId("d"), SampleInfo.FromId("e")];
        string path = WriteRecords("text.vcf", samples, [(new VariantInfo("7", 123, "rs7", "A", "G"), [0, 1, 2, -1, 2])]);

        Assert.Equal(
            "##fileformat=VCFv4.3\n##source=GenoFlow\n##contig=<ID=7>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ta\tb\tc\td\te\n" +
            "7\t123\trs7\tA\tG\t.\t.\t.\tGT\t0/0\t0/1\t1/1\t./.\t1/1\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void Bcftools_reads_the_bgzipped_output_record_for_record()
    {
        var (samples, records) = RandomData(10, 2000, seed: 5);
        string plain = WriteRecords("bcf.vcf", samples, records);
        string compressed = WriteRecords("bcf.vcf.gz", samples, records);

        string bcftoolsBody = ExternalTool.RunText("bcftools", "view", "--no-version", "-H", compressed);
        string ourBody = string.Concat(File.ReadAllLines(plain).Where(l => !l.StartsWith('#')).Select(l => l + "\n"));

        Assert.Equal(ourBody, bcftoolsBody);
        Assert.Equal(2000, bcftoolsBody.Count(c => c == '\n'));
        ExternalTool.Run("bgzip", "--test", compressed);
        Assert.Contains("##contig=<ID=chrX>", ExternalTool.RunText("bcftools", "view", "-h", compressed), StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_without_Complete_leaves_nothing()
    {
        string path = _dir.File("abandoned.vcf.gz");
        byte[] row = new byte[1];
        using (VcfWriter writer = VcfWriter.Create(path, [SampleInfo.FromId("a")]))
        {
            writer.Write(new VariantInfo("1", 1, ".", "A", "G"), row);
            Assert.NotEmpty(Directory.GetFiles(_dir.Path));
        }

        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Complete_replaces_an_existing_file_only_at_the_end()
    {
        string path = _dir.File("replace.vcf");
        File.WriteAllText(path, "old");
        using (VcfWriter writer = VcfWriter.Create(path, [SampleInfo.FromId("a")]))
        {
            writer.Write(new VariantInfo("1", 1, ".", "A", "G"), new byte[1]);
            Assert.Equal("old", File.ReadAllText(path));
            writer.Complete();
        }

        Assert.StartsWith("##fileformat=VCFv4.3", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Row_of_the_wrong_length_is_rejected()
    {
        using VcfWriter writer = VcfWriter.Create(_dir.File("bad.vcf"), [SampleInfo.FromId("a"), SampleInfo.FromId("b")]);
        Assert.Throws<ArgumentException>(() => writer.Write(new VariantInfo("1", 1, ".", "A", "G"), new byte[2]));
    }
}
