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
}
