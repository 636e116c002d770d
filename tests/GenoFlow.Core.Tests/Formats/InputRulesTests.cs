using System.Text;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;
using static GenoFlow.Core.Tests.Formats.Vcf.VcfTestFiles;

namespace GenoFlow.Core.Tests.Formats;

/// <summary>Rules decided once for every text input: a UTF-8 BOM, contig grouping, ids a target format cannot hold.</summary>
public sealed class InputRulesTests : IDisposable
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_utf8_bom_at_the_start_of_a_vcf_fam_or_bim_is_accepted()
    {
        string vcf = _dir.File("bom.vcf");
        File.WriteAllBytes(vcf, [.. Bom, .. Encoding.ASCII.GetBytes(Header("s1") + Record("1", 10, "rs1", "A", "G", "0/1"))]);
        string prefix = Fileset("f1 s1 0 0 1 -9\n", "1\trs1\t0\t100\tA\tG\n", bom: true);

        Assert.Single(ReadAll(vcf));
        using BedReader bed = BedReader.Open(prefix);
        Assert.Equal("f1", bed.Samples[0].FamilyId);
        Assert.True(bed.ReadNext(out VariantInfo? variant, new byte[1]));
        Assert.Equal("1", variant!.Chrom);
    }

    [Fact]
    public void Interleaved_contig_names_are_refused_alike_in_vcf_and_bim()
    {
        string vcf = Write(_dir, "split.vcf", Header("s1") + Record("chr1", 10, ".", "A", "G", "0/1") + Record("1", 20, ".", "A", "G", "0/1") + Record("chr1", 30, ".", "A", "G", "0/1"));
        string prefix = Fileset("f1 s1 0 0 1 -9\n", "chr1\trs1\t0\t10\tA\tG\n1\trs2\t0\t20\tA\tG\nchr1\trs3\t0\t30\tA\tG\n");

        var inVcf = Assert.Throws<GenoFlowFormatException>(() => ReadAll(vcf));
        var inBim = Assert.Throws<GenoFlowFormatException>(() =>
        {
            using BedReader bed = BedReader.Open(prefix);
            while (bed.ReadNext(out _, new byte[1]))
            {
            }
        });

        foreach (GenoFlowFormatException error in new[] { inVcf, inBim })
        {
            Assert.StartsWith("contig 'chr1' reappears after contig '1' (first seen at ", error.Problem, StringComparison.Ordinal);
            Assert.EndsWith("records must be grouped by contig (names are compared as written: 'chr1' and '1' are different contigs)", error.Problem, StringComparison.Ordinal);
        }
        Assert.Equal(3, inBim.Line);
    }

    [Fact]
    public void A_sample_id_with_whitespace_is_refused_at_fam_export_naming_it_and_nothing_is_written()
    {
        SampleInfo[] samples = [SampleInfo.FromId("ok"), SampleInfo.FromId("has space")];
        string prefix = _dir.File("out");

        var error = Assert.Throws<GenoFlowFormatException>(() => BedWriter.Create(prefix, samples).Dispose());

        Assert.Contains("sample ID 'has space'", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
        Assert.Empty(Directory.EnumerateFiles(_dir.Path));
    }

    private string Fileset(string fam, string bim, bool bom = false)
    {
        string prefix = _dir.File("x");
        byte[] start = bom ? Bom : [];
        File.WriteAllBytes(prefix + ".fam", [.. start, .. Encoding.ASCII.GetBytes(fam)]);
        File.WriteAllBytes(prefix + ".bim", [.. start, .. Encoding.ASCII.GetBytes(bim)]);
        int variants = bim.Count(c => c == '\n');
        File.WriteAllBytes(prefix + ".bed", [0x6c, 0x1b, 0x01, .. new byte[variants]]);
        return prefix;
    }
}
