using System.IO.Compression;
using System.Text;

namespace GenoFlow.Cli.Tests;

/// <summary>Inputs built to exhaust or confuse a node: each ends in one clear line, a non-zero exit and nothing written.</summary>
public sealed class HostileInputTests
{
    private const string Header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\n";

    [Fact]
    public async Task A_small_gzip_whose_line_inflates_past_the_limit_fails_naming_file_line_and_limit()
    {
        using var dir = new TempDirectory();
        string vcf = dir["bomb.vcf.gz"];
        await using (var gzip = new GZipStream(File.Create(vcf), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.ASCII.GetBytes(Header + "1\t10\trs"));
            byte[] nines = Enumerable.Repeat((byte)'9', 1 << 20).ToArray();
            for (int i = 0; i < 256; i++)
            {
                gzip.Write(nines);
            }
        }

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["import", "--vcf", vcf, "--out", dir["ds"], "--max-line-mb", "16"]);

        BadInputTests.AssertCleanFailure(result, "bomb.vcf.gz", "line 3", "longer than the limit of 16,777,216 bytes");
        Assert.False(Directory.Exists(dir["ds"]), "a failed import must leave no dataset");
    }

    [Fact]
    public async Task A_sample_id_that_a_fam_cannot_hold_is_refused_at_export_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        string vcf = dir["spaced.vcf"];
        await File.WriteAllTextAsync(vcf, "\uFEFF" + Header.Replace("\tA\n", "\tok\thas space\n", StringComparison.Ordinal) + "1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n");
        // The BOM at the start is accepted, and a VCF may hold an id with a space.
        await GenoFlowProcess.RunOkAsync("import", "--vcf", vcf, "--out", dir["ds"]);

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["export", dir["ds"], "--bed", dir["out"]]);

        BadInputTests.AssertCleanFailure(result, "out.fam", "line 2", "sample ID 'has space'");
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "out*"));
    }

    [Fact]
    public async Task A_kmeans_table_with_a_duplicate_sample_id_is_refused_with_the_line()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir["table.tsv"], "sample_id\tPC1\tPC2\na\t1\t2\nb\t3\t4\na\t5\t6\n");

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["kmeans", "--input", dir["table.tsv"], "--k", "2", "--out", dir["out"]]);

        BadInputTests.AssertCleanFailure(result, "table.tsv", "line 4, column 1: sample 'a' appears twice (line 2 and line 4)");
        Assert.False(Directory.Exists(dir["out"]), "a refused k-means wrote output");
    }
}
