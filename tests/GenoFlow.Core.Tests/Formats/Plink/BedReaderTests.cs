using System.Globalization;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Tests.TestSupport;

namespace GenoFlow.Core.Tests.Formats.Plink;

public sealed class BedReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Fam3 = "f1 s1 0 0 1 -9\nf2 s2 0 0 2 1\nf3 s3 0 0 0 2\n";
    private const string Bim2 = "1\trs1\t0\t100\tA\tG\n1\trs2\t0.5\t200\tC\tT\n";

    /// <summary>Writes PREFIX.fam/.bim/.bed in the temp directory; returns the prefix.</summary>
    private string Fileset(string fam, string bim, byte[] bed, string name = "x")
    {
        string prefix = _dir.File(name);
        File.WriteAllText(prefix + ".fam", fam);
        File.WriteAllText(prefix + ".bim", bim);
        File.WriteAllBytes(prefix + ".bed", bed);
        return prefix;
    }

    private static byte[] Bed(params byte[] rows) => [0x6c, 0x1b, 0x01, .. rows];

    private static GenoFlowFormatException OpenFails(string prefix) =>
        Assert.Throws<GenoFlowFormatException>(() =>
        {
            using BedReader reader = BedReader.Open(prefix);
            Span<byte> row = new byte[PackedGenotypes.RowBytes(reader.Samples.Count)];
            while (reader.ReadNext(out _, row))
            {
            }
        });

    [Fact]
    public void Reads_samples_variants_and_rows_with_a2_as_ref_and_trailing_bits_cleared()
    {
        // Three samples use 6 bits; the top two bits of each row byte are set in the file and must come back cleared.
        string prefix = Fileset(Fam3, Bim2, Bed(0b11_10_01_00, 0b11_11_11_11));
        using BedReader reader = BedReader.Open(prefix);

        Assert.Equal(["s1", "s2", "s3"], reader.Samples.Select(s => s.SampleId));
        Assert.Equal(new SampleInfo("f2", "s2", "0", "0", 2, "1"), reader.Samples[1]);
        Assert.Equal(2, reader.VariantCount);

        byte[] row = new byte[1];
        Assert.True(reader.ReadNext(out VariantInfo? v1, row));
        Assert.Equal(new VariantInfo("1", 100, "rs1", Ref: "G", Alt: "A", CentiMorgans: 0), v1);
        Assert.Equal(0b00_10_01_00, row[0]);
        Assert.Equal(0.5, reader.Progress);

        Assert.True(reader.ReadNext(out VariantInfo? v2, row));
        Assert.Equal(new VariantInfo("1", 200, "rs2", "T", "C", 0.5), v2);
        Assert.Equal(0b00_11_11_11, row[0]);
        Assert.False(reader.ReadNext(out _, row));
        Assert.Equal(1.0, reader.Progress);
    }

    [Fact]
    public void Blank_lines_and_space_separated_columns_are_accepted()
    {
        string prefix = Fileset("f1  s1 0 0 1 -9\n\n f2\ts2 0 0 2 1\r\n", "\n1 rs1 0 100 A G\r\n\n", Bed(0b0000_1011));
        using BedReader reader = BedReader.Open(prefix);
        Assert.Equal(2, reader.Samples.Count);
        byte[] row = new byte[1];
        Assert.True(reader.ReadNext(out VariantInfo? v, row));
        Assert.Equal("rs1", v.Id);
        Assert.Equal(0b1011, row[0]);
        Assert.False(reader.ReadNext(out _, row));
    }

    [Fact]
    public void Last_lines_without_a_newline_are_read()
    {
        string prefix = Fileset("f1 s1 0 0 1 -9", "1 rs1 0 100 A G\n1 rs2 0 200 C T", Bed(0b10, 0b11));
        using BedReader reader = BedReader.Open(prefix);
        Assert.Equal(2, reader.VariantCount);
        byte[] row = new byte[1];
        Assert.True(reader.ReadNext(out _, row));
        Assert.True(reader.ReadNext(out VariantInfo? last, row));
        Assert.Equal(("rs2", "T", "C"), (last.Id, last.Ref, last.Alt));
        Assert.Equal(0b11, row[0]);
    }

    [Fact]
    public void Rejects_a_row_buffer_of_the_wrong_length()
    {
        using BedReader reader = BedReader.Open(Fileset(Fam3, Bim2, Bed(0, 0)));
        Assert.Throws<ArgumentException>(() => reader.ReadNext(out _, new byte[2]));
    }

    [Fact]
    public void Wrong_magic_names_the_bed_and_offset_zero()
    {
        string prefix = Fileset(Fam3, Bim2, [0x6c, 0x1c, 0x01, 0, 0]);
        GenoFlowFormatException e = OpenFails(prefix);
        Assert.Equal(prefix + ".bed", e.File);
        Assert.Equal(0, e.ByteOffset);
        Assert.Contains("x.bed, byte offset 0", e.Message);
        Assert.Contains("6c 1b", e.Message);
    }

    [Fact]
    public void Individual_major_mode_is_rejected_with_a_clear_message()
    {
        GenoFlowFormatException e = OpenFails(Fileset(Fam3, Bim2, [0x6c, 0x1b, 0x00, 0, 0]));
        Assert.Equal(2, e.ByteOffset);
        Assert.Contains("x.bed, byte offset 2", e.Message);
        Assert.Contains("individual-major", e.Message);
        Assert.Contains("SNP-major", e.Message);
    }

    [Fact]
    public void Size_mismatch_states_expected_and_actual_sizes_and_counts()
    {
        GenoFlowFormatException e = OpenFails(Fileset(Fam3, Bim2, Bed(0, 0, 0)));
        Assert.Contains("x.bed", e.Message);
        Assert.Contains("size is 6 bytes", e.Message);
        Assert.Contains("2 variants", e.Message);
        Assert.Contains("3 samples", e.Message);
        Assert.Contains("= 5 bytes", e.Message);
        Assert.Equal(5, e.ByteOffset);
    }

    [Fact]
    public void Truncated_bed_is_a_size_mismatch()
    {
        GenoFlowFormatException e = OpenFails(Fileset(Fam3, Bim2, Bed(0)));
        Assert.Contains("size is 4 bytes", e.Message);
        Assert.Contains("= 5 bytes", e.Message);
    }

    [Theory]
    [InlineData("1\trs1\t0\t100\tA\tG\n1\trs2\t0\t200\tC\n", 2, null, "expected 6 columns")]
    [InlineData("1\trs1\t0\t100\tA\tG\textra\n1\trs2\t0\t200\tC\tT\n", 1, null, "found 7")]
    [InlineData("1\trs1\t0\t100\tA\tG\n1\trs2\t0\t2e2x\tC\tT\n", 2, 4, "base-pair position must be an integer, found '2e2x'")]
    [InlineData("1\trs1\tcM\t100\tA\tG\n1\trs2\t0\t200\tC\tT\n", 1, 3, "genetic position (cM) must be a number")]
    public void Bad_bim_lines_name_the_file_line_and_problem(string bim, int line, int? column, string problem)
    {
        GenoFlowFormatException e = OpenFails(Fileset(Fam3, bim, Bed(0, 0)));
        Assert.Equal(_dir.File("x.bim"), e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains($"x.bim, line {line}", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("f1 s1 0 0 1 -9\nf2 s2 0 0 2\nf3 s3 0 0 0 2\n", 2, null, "expected 6 columns")]
    [InlineData("f1 s1 0 0 1 -9\nf2 s2 0 0 2 1\nf3 s3 0 0 F 2\n", 3, 5, "sex must be an integer")]
    [InlineData("f1 s1 0 0 1 -9\nf2 s2 0 0 2 1\nf3 s1 0 0 0 2\n", 3, 2, "'s1' appears on line 1 and again on line 3")]
    public void Bad_fam_lines_name_the_file_line_and_problem(string fam, int line, int? column, string problem)
    {
        GenoFlowFormatException e = OpenFails(Fileset(fam, Bim2, Bed(0, 0)));
        Assert.Equal(_dir.File("x.fam"), e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains($"x.fam, line {line}", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Empty_fam_is_rejected()
    {
        GenoFlowFormatException e = OpenFails(Fileset("\n", Bim2, Bed(0, 0)));
        Assert.Equal(_dir.File("x.fam"), e.File);
        Assert.Contains("no samples", e.Message);
    }

    [Fact]
    public void Empty_bim_is_rejected()
    {
        GenoFlowFormatException e = OpenFails(Fileset(Fam3, "", Bed()));
        Assert.Equal(_dir.File("x.bim"), e.File);
        Assert.Contains("no variants", e.Message);
    }

    [Fact]
    public void Empty_bed_is_rejected()
    {
        GenoFlowFormatException e = OpenFails(Fileset(Fam3, Bim2, []));
        Assert.Equal(_dir.File("x.bed"), e.File);
        Assert.Contains("empty", e.Message);
    }

    [Theory]
    [InlineData("bed")]
    [InlineData("bim")]
    [InlineData("fam")]
    public void Missing_member_file_is_named(string extension)
    {
        string prefix = Fileset(Fam3, Bim2, Bed(0, 0));
        File.Delete(prefix + "." + extension);
        GenoFlowFormatException e = OpenFails(prefix);
        Assert.Equal(prefix + "." + extension, e.File);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Alt_counts_match_plink2_freq_counts()
    {
        Plink2.Run(_dir.Path, "--dummy", "37", "500", "0.05", "acgt", "--make-bed", "--out", "dummy");
        Plink2.Run(_dir.Path, "--bfile", "dummy", "--freq", "counts", "--out", "freq");
        string[][] expected = [.. File.ReadLines(_dir.File("freq.acount")).Skip(1).Select(l => l.Split('\t'))];

        using BedReader reader = BedReader.Open(_dir.File("dummy"));
        Assert.Equal(37, reader.Samples.Count);
        byte[] row = new byte[PackedGenotypes.RowBytes(37)];
        sbyte[] counts = new sbyte[37];
        int index = 0;
        while (reader.ReadNext(out VariantInfo? v, row))
        {
            PackedGenotypes.Unpack(row, counts);
            int alt = counts.Where(c => c >= 0).Sum(c => c);
            int observed = 2 * counts.Count(c => c >= 0);
            string[] plink = expected[index++];
            Assert.Equal((plink[1], plink[2], plink[3]), (v.Id, v.Ref, v.Alt));
            Assert.Equal(int.Parse(plink[4], CultureInfo.InvariantCulture), alt);
            Assert.Equal(int.Parse(plink[5], CultureInfo.InvariantCulture), observed);
        }
        Assert.Equal(500, index);
        Assert.Equal(expected.Length, index);
    }
}
