using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Tests.TestSupport;

namespace GenoFlow.Core.Tests.Formats.Plink;

public sealed class BedWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void Copy(string fromPrefix, string toPrefix)
    {
        using BedReader reader = BedReader.Open(fromPrefix);
        using BedWriter writer = BedWriter.Create(toPrefix, reader.Samples);
        byte[] row = new byte[PackedGenotypes.RowBytes(reader.Samples.Count)];
        while (reader.ReadNext(out VariantInfo? v, row))
        {
            writer.Write(v, row);
        }
        writer.Complete();
    }

    [Theory]
    [InlineData(37, 300)]
    [InlineData(40, 17)]
    [InlineData(1, 5)]
    public void Plink2_fileset_read_and_rewritten_is_byte_identical(int samples, int variants)
    {
        Plink2.Run(_dir.Path, "--dummy", samples.ToString(), variants.ToString(), "0.1", "acgt", "--make-bed", "--out", "plink");
        Copy(_dir.File("plink"), _dir.File("copy"));

        foreach (string ext in new[] { "bed", "bim", "fam" })
        {
            byte[] expected = File.ReadAllBytes(_dir.File("plink." + ext));
            byte[] actual = File.ReadAllBytes(_dir.File("copy." + ext));
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"copy.{ext} differs from plink2's plink.{ext} ({actual.Length} vs {expected.Length} bytes)");
        }
    }

    [Fact]
    public void Plink2_reads_what_the_writer_writes_from_a_vcf_import()
    {
        string vcf = """
            ##fileformat=VCFv4.2
            ##contig=<ID=2>
            ##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
            #CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	a	b	c	d	e
            2	1000	v1	A	G	.	.	.	GT	0/0	0/1	1/1	./.	0/1
            2	2000	v2	C	T	.	.	.	GT	1/1	1/1	0/1	0/0	0/0

            """;
        File.WriteAllText(_dir.File("in.vcf"), vcf);
        Plink2.Run(_dir.Path, "--vcf", "in.vcf", "--make-bed", "--out", "fromvcf");
        Copy(_dir.File("fromvcf"), _dir.File("copy"));
        Assert.Equal(File.ReadAllBytes(_dir.File("fromvcf.bed")), File.ReadAllBytes(_dir.File("copy.bed")));

        using BedReader reader = BedReader.Open(_dir.File("copy"));
        byte[] row = new byte[2];
        sbyte[] counts = new sbyte[5];
        Assert.True(reader.ReadNext(out VariantInfo? v1, row));
        Assert.Equal(new VariantInfo("2", 1000, "v1", "A", "G"), v1);
        PackedGenotypes.Unpack(row, counts);
        Assert.Equal(new sbyte[] { 0, 1, 2, -1, 1 }, counts);
    }

    [Fact]
    public void Written_text_is_tab_separated_with_a1_alt_and_short_centimorgans()
    {
        string prefix = _dir.File("w");
        using (BedWriter writer = BedWriter.Create(prefix, [new SampleInfo("F", "I", "P", "M", 1, "2.5"), SampleInfo.FromId("J")]))
        {
            writer.Write(new VariantInfo("X", 12345, "rsA", Ref: "C", Alt: "T", CentiMorgans: 0), [0b1110]);
            writer.Write(new VariantInfo("MT", 7, "rsB", Ref: "ACG", Alt: "A", CentiMorgans: 1.25), [0b0100]);
            writer.Complete();
        }
        Assert.Equal("X\trsA\t0\t12345\tT\tC\nMT\trsB\t1.25\t7\tA\tACG\n", File.ReadAllText(prefix + ".bim"));
        Assert.Equal("F\tI\tP\tM\t1\t2.5\n0\tJ\t0\t0\t0\t-9\n", File.ReadAllText(prefix + ".fam"));
        Assert.Equal(new byte[] { 0x6c, 0x1b, 0x01, 0b1110, 0b0100 }, File.ReadAllBytes(prefix + ".bed"));
    }

    [Fact]
    public void Trailing_bits_are_zeroed_on_write()
    {
        string prefix = _dir.File("t");
        using (BedWriter writer = BedWriter.Create(prefix, [SampleInfo.FromId("a")]))
        {
            writer.Write(new VariantInfo("1", 1, "v", "A", "C"), [0b1111_1110]);
            writer.Complete();
        }
        Assert.Equal(0b10, File.ReadAllBytes(prefix + ".bed")[3]);
    }

    [Fact]
    public void Nothing_is_published_until_complete_and_dispose_without_complete_leaves_no_files()
    {
        string prefix = _dir.File("partial");
        using (BedWriter writer = BedWriter.Create(prefix, [SampleInfo.FromId("a"), SampleInfo.FromId("b")]))
        {
            writer.Write(new VariantInfo("1", 1, "v", "A", "C"), [0b1011]);
            Assert.False(File.Exists(prefix + ".bed"), "the .bed appeared before Complete");
            Assert.NotEmpty(Directory.GetFiles(_dir.Path));
        }
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Complete_replaces_an_existing_fileset()
    {
        string prefix = _dir.File("r");
        foreach (byte code in new byte[] { 0b00, 0b10 })
        {
            using BedWriter writer = BedWriter.Create(prefix, [SampleInfo.FromId("a")]);
            writer.Write(new VariantInfo("1", 1, "v", "A", "C"), [code]);
            writer.Complete();
        }
        Assert.Equal(0b10, File.ReadAllBytes(prefix + ".bed")[3]);
        Assert.Equal(3, Directory.GetFiles(_dir.Path).Length);
    }

    [Fact]
    public void Rejects_wrong_row_length_duplicate_ids_and_writes_after_complete()
    {
        Assert.Throws<ArgumentException>(() => BedWriter.Create(_dir.File("d"), [SampleInfo.FromId("a"), SampleInfo.FromId("a")]));
        using BedWriter writer = BedWriter.Create(_dir.File("e"), [.. Enumerable.Range(0, 5).Select(i => SampleInfo.FromId($"s{i}"))]);
        var v = new VariantInfo("1", 1, "v", "A", "C");
        Assert.Throws<ArgumentException>(() => writer.Write(v, new byte[1]));
        Assert.Throws<ArgumentException>(() => writer.Write(v with { Alt = "A C" }, new byte[2]));
        Assert.Throws<ArgumentException>(() => writer.Write(v with { Id = "" }, new byte[2]));
        writer.Write(v, new byte[2]);
        writer.Complete();
        Assert.Throws<InvalidOperationException>(() => writer.Write(v, new byte[2]));
    }
}
