using System.Text;
using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;
using static GenoFlow.Core.Tests.Formats.Vcf.VcfTestFiles;

namespace GenoFlow.Core.Tests.Formats.Vcf;

public sealed class VcfReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reads_samples_and_calls_of_every_kind()
    {
        string path = Write(_dir, "calls.vcf",
            Header("s1", "s2", "s3", "s4", "s5", "s6", "s7") +
            Record("1", 100, "rs1", "A", "G", "0/0", "0|1", "1|1", "./.", "./1", "1", ".") +
            Record("1", 200, ".", "AC", "A", "1/0:35:10,2", "0", "1|.", ".|.", "0/0:.", "1/1:99", "0/1") +
            "1\t300\trs3\tT\tC\t50\tPASS\tDP=3\tGT:DP\t0/0:1\t0/0:1\t0/0:1\t0/0:1\t0/0:1\t0/0:1\t1/1:7\r\n");

        var records = ReadAll(path);

        Assert.Equal(3, records.Count);
        Assert.Equal(new VariantInfo("1", 100, "rs1", "A", "G"), records[0].Variant);
        Assert.Equal(new sbyte[] { 0, 1, 2, -1, -1, 2, -1 }, records[0].AltCounts);
        Assert.Equal(new VariantInfo("1", 200, ".", "AC", "A"), records[1].Variant);
        Assert.Equal(new sbyte[] { 1, 0, -1, -1, 0, 2, 1 }, records[1].AltCounts);
        Assert.Equal(new sbyte[] { 0, 0, 0, 0, 0, 0, 2 }, records[2].AltCounts);
        using VcfReader reader = VcfReader.Open([path]);
        Assert.Equal(["s1", "s2", "s3", "s4", "s5", "s6", "s7"], reader.Samples.Select(s => s.SampleId));
        Assert.Equal(SampleInfo.FromId("s1"), reader.Samples[0]);
    }

    [Fact]
    public void Format_without_GT_makes_every_call_missing()
    {
        string path = Write(_dir, "nogt.vcf",
            Header("a", "b") + "1\t5\t.\tA\tG,T\t.\t.\t.\tDP\t3\t4\n");

        var records = ReadAll(path);

        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(new sbyte[] { -1, -1 }, r.AltCounts));
    }

    [Fact]
    public void Monomorphic_site_keeps_ALT_dot_with_REF_calls()
    {
        string path = Write(_dir, "mono.vcf", Header("a", "b") + Record("2", 7, "m", "C", ".", "0/0", "./."));

        var records = ReadAll(path);

        Assert.Equal(new VariantInfo("2", 7, "m", "C", "."), Assert.Single(records).Variant);
        Assert.Equal(new sbyte[] { 0, -1 }, records[0].AltCounts);
    }

    [Fact]
    public void Sites_only_vcf_has_no_samples()
    {
        string path = Write(_dir, "sites.vcf", Header() + "1\t5\trs\tA\tG\t.\t.\t.\n1\t6\trs2\tA\tG,C\t.\t.\t.\n");

        var records = ReadAll(path);

        Assert.Equal(["G", "G", "C"], records.Select(r => r.Variant.Alt));
    }

    [Fact]
    public void Multiallelic_sites_split_as_bcftools_norm_does()
    {
        string[] samples = Enumerable.Range(1, 9).Select(i => "S" + i).ToArray();
        string text = Header(samples).Replace("##FORMAT", "##contig=<ID=1>\n##contig=<ID=2>\n##FORMAT", StringComparison.Ordinal) +
            Record("1", 10, "rs10", "A", "C,G", "0/0", "0/1", "0/2", "1/2", "2/2", "2|1", "./2", "2", "1") +
            Record("1", 20, "rs20", "C", "T", "0/0", "0/1", "1/1", "./.", "0/1", "1/1", "0/0", "0", "1") +
            Record("1", 30, ".", "G", "A,C,T", "0/3", "3/3", "1/2", "2/3", "0/0", "3", "./.", "1|3", "2|2") +
            Record("2", 5, "rs5", "T", "TA,TAA", "0/1", "1/2", "2/2", "0/0", "0/2", "1", "2", ".", "0|2");
        string path = Write(_dir, "multi.vcf", text);
        string normalized = _dir.File("multi.norm.vcf");
        File.WriteAllBytes(normalized, ExternalTool.Run("bcftools", "norm", "-m-", "--no-version", path));

        var ours = ReadAll(path);
        var theirs = ReadAll(normalized);

        Assert.Equal(8, ours.Count);
        Assert.Equal(theirs.Select(r => r.Variant), ours.Select(r => r.Variant));
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.True(theirs[i].AltCounts.SequenceEqual(ours[i].AltCounts), $"record {i} ({ours[i].Variant}): ours {string.Join(",", ours[i].AltCounts)}, bcftools {string.Join(",", theirs[i].AltCounts)}");
        }
        Assert.Equal(new sbyte[] { 0, 0, 1, 1, 2, 1, -1, 2, 0 }, ours[1].AltCounts);
    }

    /// <summary>The obvious reading of a GT column, string by string, for split record <paramref name="alt"/>.</summary>
    private static sbyte NaiveAltCount(string column, int alt)
    {
        string[] alleles = column.Split(':')[0].Split('/', '|');
        if (alleles.Contains("."))
        {
            return -1;
        }
        int[] indices = alleles.Select(int.Parse).ToArray();
        return (sbyte)(indices.Length == 1 ? (indices[0] == alt ? 2 : 0) : indices.Count(i => i == alt));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    [InlineData(4, 13)]
    public void Random_calls_match_a_naive_reference(int seed, int sampleCount)
    {
        var random = new Random(seed);
        string[] forms = ["0/0", "0/1", "1/0", "1/1", "0|0", "0|1", "1|1", "./.", ".|.", "./1", "1/.", "0", "1", ".", "0/0:12", "1/1:3:4", "0/1:.:7", ".:5", "2/1", "0/2", "2", "2|2", "3/0", "10/0"];
        string[] alts = [".", "C", "C,G", "C,G,T", "C,G,T,A,AC,AG,AT,CA,CC,CG"];
        string[] samples = Enumerable.Range(0, sampleCount).Select(i => "s" + i).ToArray();
        var text = new StringBuilder(Header(samples));
        var expected = new List<sbyte[]>();
        for (int v = 0; v < 2000; v++)
        {
            int altIndex = random.Next(alts.Length);
            int altCount = altIndex == 4 ? 10 : altIndex;
            string[] usable = forms.Where(f => f.Split(':')[0].Split('/', '|').All(a => a == "." || int.Parse(a) <= altCount)).ToArray();
            string[] calls = Enumerable.Range(0, sampleCount).Select(_ => usable[random.Next(usable.Length)]).ToArray();
            text.Append(Record("1", v, "v" + v, "A", alts[altIndex], calls));
            for (int k = 1; k <= Math.Max(1, altCount); k++)
            {
                expected.Add(calls.Select(c => NaiveAltCount(c, k)).ToArray());
            }
        }
        string path = Write(_dir, $"random{seed}.vcf", text.ToString());

        var records = ReadAll(path);

        Assert.Equal(expected.Count, records.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].SequenceEqual(records[i].AltCounts), $"record {i} ({records[i].Variant}): expected {string.Join(",", expected[i])}, read {string.Join(",", records[i].AltCounts)}");
        }
    }

    [Fact]
    public void Several_files_read_as_one_stream_whatever_their_compression()
    {
        string header = Header("a", "b", "c", "d", "e");
        string first = Write(_dir, "chr1.vcf", header + Record("chr1", 1, "x", "A", "G", "0/0", "0/1", "1/1", "./.", "0/0") + Record("chr1", 9, "y", "A", "G", "1/1", "0/1", "1/1", "./.", "0/0"));
        string second = Write(_dir, "chr2.vcf", header + Record("chr2", 4, "z", "C", "T", "0/1", "0/1", "0/1", "0/1", "1/1"));
        File.WriteAllBytes(second + ".gz", ExternalTool.Run("bgzip", "-c", second));
        string third = Write(_dir, "chr3.vcf", header + Record("chr3", 2, "w", "G", "A", "1/1", "1/1", "0/0", "0/0", "0/0"));
        File.WriteAllBytes(third + ".gz", Bgzf.BgzfTests.GzipBytes(File.ReadAllBytes(third)));

        var records = ReadAll(first, second + ".gz", third + ".gz");

        Assert.Equal(["x", "y", "z", "w"], records.Select(r => r.Variant.Id));
        Assert.Equal(new sbyte[] { 1, 1, 1, 1, 2 }, records[2].AltCounts);
        Assert.Equal(new sbyte[] { 2, 2, 0, 0, 0 }, records[3].AltCounts);
    }

    [Fact]
    public void Large_input_crosses_many_batches_and_keeps_order()
    {
        var text = new StringBuilder(Header("a", "b", "c"));
        string[] calls = ["0/0", "0/1", "1/1", "./.", "1|0", "0"];
        int count = 300_000;
        for (int i = 0; i < count; i++)
        {
            text.Append(Record(i < count / 2 ? "1" : "2", i, "v" + i, "A", "T", calls[i % 6], calls[(i / 6) % 6], calls[(i / 36) % 6]));
        }
        string path = Write(_dir, "large.vcf", text.ToString());
        File.WriteAllBytes(path + ".gz", ExternalTool.Run("bgzip", "-c", path));
        sbyte[] countOf = [0, 1, 2, -1, 1, 0];

        var records = ReadAll(path + ".gz");

        Assert.Equal(count, records.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal("v" + i, records[i].Variant.Id);
            Assert.Equal(i, records[i].Variant.Position);
            Assert.Equal(countOf[(i / 36) % 6], records[i].AltCounts[2]);
        }
    }

    private static GenoFlowFormatException ReadExpectingError(string path)
    {
        var e = Assert.Throws<GenoFlowFormatException>(() => ReadAll(path));
        Assert.Equal(path, e.File);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        return e;
    }

    private GenoFlowFormatException RecordError(string name, string records, long line, int? column, string expectedText)
    {
        string path = Write(_dir, name, Header("a", "b", "c") + records);
        var e = ReadExpectingError(path);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains($"line {line}", e.Message, StringComparison.Ordinal);
        if (column is not null)
        {
            Assert.Contains($"column {column}", e.Message, StringComparison.Ordinal);
        }
        Assert.Contains(expectedText, e.Message, StringComparison.Ordinal);
        return e;
    }

    // The header written by Header() has 3 lines, so the first record is line 4.
    [Fact]
    public void Too_few_columns_are_reported() =>
        RecordError("few.vcf", Record("1", 1, ".", "A", "G", "0/0", "0/0", "0/0") + Record("1", 2, ".", "A", "G", "0/0", "0/0"), 5, 12, "expected 12 tab-separated columns (9 fixed + 3 samples), found 11");

    [Fact]
    public void Too_few_columns_after_calls_with_subfields_are_reported() =>
        RecordError("few-sub.vcf", "1\t1\t.\tA\tG\t.\t.\t.\tGT:DP\t0/1:3\t1/1:4\n", 4, 12, "found 11");

    [Fact]
    public void Too_many_columns_are_reported() =>
        RecordError("many.vcf", Record("1", 1, ".", "A", "G", "0/0", "0/0", "0/0", "0/1"), 4, 13, "found 13");

    [Fact]
    public void Truncated_fixed_columns_are_reported() =>
        RecordError("short.vcf", "1\t5\trs1\tA\n", 4, 5, "found 4");

    [Fact]
    public void Allele_index_beyond_ALT_count_is_reported() =>
        RecordError("allele.vcf", Record("1", 1, ".", "A", "G", "0/0", "0/2", "0/0"), 4, 11, "GT allele index 2 but the site has only 1 ALT allele(s)");

    [Fact]
    public void Allele_index_on_a_monomorphic_site_is_reported() =>
        RecordError("mono-bad.vcf", Record("1", 1, ".", "A", ".", "0/0", "0/0", "1"), 4, 12, "only 0 ALT allele(s)");

    [Fact]
    public void Non_numeric_position_is_reported() =>
        RecordError("pos.vcf", Record("1", 1, ".", "A", "G", "0/0", "0/0", "0/0").Replace("\t1\t", "\t1x\t", StringComparison.Ordinal), 4, 2, "POS must be a non-negative integer, found '1x'");

    [Fact]
    public void Decreasing_position_is_reported() =>
        RecordError("order.vcf", Record("1", 10, ".", "A", "G", "0/0", "0/0", "0/0") + Record("1", 10, ".", "A", "C", "0/0", "0/0", "0/0") + Record("1", 9, ".", "A", "G", "0/0", "0/0", "0/0"), 6, 2, "POS 9 is before the previous record's POS 10 on contig '1'");

    [Fact]
    public void Contig_reappearing_is_reported() =>
        RecordError("contig.vcf", Record("1", 10, ".", "A", "G", "0/0", "0/0", "0/0") + Record("2", 1, ".", "A", "G", "0/0", "0/0", "0/0") + Record("1", 20, ".", "A", "G", "0/0", "0/0", "0/0"), 6, 1, "contig '1' reappears after contig '2'");

    [Fact]
    public void Polyploid_call_is_reported() =>
        RecordError("ploidy.vcf", Record("1", 1, ".", "A", "G", "0/0/1", "0/0", "0/0"), 4, 10, "more than 2 alleles");

    [Fact]
    public void Malformed_call_is_reported() =>
        RecordError("malformed.vcf", Record("1", 1, ".", "A", "G", "0/0", "A/0", "0/0"), 4, 11, "malformed GT 'A/0'");

    [Fact]
    public void GT_not_first_in_FORMAT_is_reported() =>
        RecordError("format.vcf", "1\t1\t.\tA\tG\t.\t.\t.\tDP:GT\t1:0/0\t1:0/0\t1:0/0\n", 4, 9, "GT must be the first FORMAT key");

    [Fact]
    public void Earliest_of_several_bad_lines_is_reported_deterministically()
    {
        var text = new StringBuilder();
        for (int i = 1; i <= 50_000; i++)
        {
            string call = i == 45_000 ? "0/5" : "0/1";
            long pos = i == 30_000 ? 1 : i;
            text.Append(Record("1", pos, ".", "A", "G", "0/0", call, "1/1"));
        }
        for (int attempt = 0; attempt < 3; attempt++)
        {
            RecordError($"many-bad-{attempt}.vcf", text.ToString(), 30_003, 2, "POS 1 is before");
        }
    }

    [Fact]
    public void Duplicate_sample_is_reported()
    {
        string path = Write(_dir, "dup.vcf", Header("a", "b", "a"));
        var e = ReadExpectingError(path);
        Assert.Equal(3, e.Line);
        Assert.Equal(12, e.Column);
        Assert.Contains("duplicate sample ID 'a' (also in column 10)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_chrom_line_is_reported()
    {
        string path = Write(_dir, "nochrom.vcf", "##fileformat=VCFv4.2\n##source=x\n");
        var e = ReadExpectingError(path);
        Assert.Contains("missing #CHROM header line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_line_before_header_is_reported()
    {
        string path = Write(_dir, "early.vcf", "##fileformat=VCFv4.2\n" + Record("1", 1, ".", "A", "G", "0/0") + Header("a"));
        var e = ReadExpectingError(path);
        Assert.Equal(2, e.Line);
        Assert.Contains("data line before the #CHROM header line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_files_are_reported_plain_and_compressed()
    {
        string plain = Write(_dir, "empty.vcf", "");
        Assert.Contains("file is empty", ReadExpectingError(plain).Message, StringComparison.Ordinal);
        string gz = _dir.File("empty.vcf.gz");
        File.WriteAllBytes(gz, ExternalTool.Run("bgzip", "-c", plain));
        Assert.Contains("file is empty", ReadExpectingError(gz).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_lists_that_differ_name_the_file_and_the_first_differing_sample()
    {
        string first = Write(_dir, "one.vcf", Header("a", "b", "c") + Record("1", 1, ".", "A", "G", "0/0", "0/0", "0/0"));
        string second = Write(_dir, "two.vcf", Header("a", "x", "c") + Record("2", 1, ".", "A", "G", "0/0", "0/0", "0/0"));
        string third = Write(_dir, "three.vcf", Header("a", "b") + Record("3", 1, ".", "A", "G", "0/0", "0/0"));

        var e = Assert.Throws<GenoFlowFormatException>(() => ReadAll(first, second));
        Assert.Equal(second, e.File);
        Assert.Equal(3, e.Line);
        Assert.Equal(11, e.Column);
        Assert.Contains($"samples differ from {first}: sample 2 is 'x' here but 'b' there", e.Message, StringComparison.Ordinal);

        var shorter = Assert.Throws<GenoFlowFormatException>(() => ReadAll(first, third));
        Assert.Equal(third, shorter.File);
        Assert.Contains("2 samples here but 3 there (sample 3, 'c' is missing here)", shorter.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Contig_reappearing_in_a_later_file_is_reported()
    {
        string first = Write(_dir, "a.vcf", Header("s") + Record("1", 1, ".", "A", "G", "0/0") + Record("2", 1, ".", "A", "G", "0/0"));
        string second = Write(_dir, "b.vcf", Header("s") + Record("1", 5, ".", "A", "G", "0/0"));

        var e = Assert.Throws<GenoFlowFormatException>(() => ReadAll(first, second));
        Assert.Equal(second, e.File);
        Assert.Equal(4, e.Line);
        Assert.Contains($"contig '1' reappears after contig '2' (first seen at {first}, line 4)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row_of_the_wrong_length_is_rejected()
    {
        string path = Write(_dir, "row.vcf", Header("a", "b", "c", "d", "e") + Record("1", 1, ".", "A", "G", "0/0", "0/0", "0/0", "0/0", "0/0"));
        using VcfReader reader = VcfReader.Open([path]);
        Assert.Throws<ArgumentException>(() => reader.ReadNext(out _, new byte[1]));
    }
}
