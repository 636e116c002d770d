using System.Text;
using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Tests.Formats.Vcf;

/// <summary>Small VCF texts and a reader that collects everything a <see cref="VcfReader"/> yields.</summary>
internal static class VcfTestFiles
{
    public static string Header(params string[] samples) =>
        "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO" + (samples.Length > 0 ? "\tFORMAT\t" + string.Join('\t', samples) : "") + "\n";

    public static string Record(string chrom, long pos, string id, string reference, string alt, params string[] calls) =>
        $"{chrom}\t{pos}\t{id}\t{reference}\t{alt}\t.\tPASS\t.\tGT\t{string.Join('\t', calls)}\n";

    public static string Write(TempDirectory dir, string name, string text)
    {
        string path = dir.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    public static List<(VariantInfo Variant, sbyte[] AltCounts)> ReadAll(params string[] paths)
    {
        using VcfReader reader = VcfReader.Open(paths);
        return Drain(reader);
    }

    public static List<(VariantInfo Variant, sbyte[] AltCounts)> Drain(IGenotypeReader reader)
    {
        var result = new List<(VariantInfo, sbyte[])>();
        int n = reader.Samples.Count;
        byte[] row = new byte[PackedGenotypes.RowBytes(n)];
        while (reader.ReadNext(out VariantInfo? variant, row))
        {
            if (n % 4 != 0)
            {
                Assert.Equal(0, row[^1] >> (2 * (n % 4)));
            }
            var counts = new sbyte[n];
            PackedGenotypes.Unpack(row, counts);
            result.Add((variant, counts));
        }
        Assert.Equal(1.0, reader.Progress, 3);
        return result;
    }
}
