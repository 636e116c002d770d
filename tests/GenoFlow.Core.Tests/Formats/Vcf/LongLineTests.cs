using System.IO.Compression;
using System.Text;
using GenoFlow.Core.Formats.Vcf;
using static GenoFlow.Core.Tests.Formats.Vcf.VcfTestFiles;

namespace GenoFlow.Core.Tests.Formats.Vcf;

/// <summary>A few megabytes of gzip whose one line inflates to gigabytes: import memory stays bounded by the line limit.</summary>
public sealed class LongLineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_gzip_line_inflating_past_the_limit_fails_naming_file_line_and_limit_without_reading_it_all()
    {
        string path = InflatingLine(_dir, "bomb.vcf.gz", lineGiB: 4);
        const long limit = 8 << 20;
        Assert.True(new FileInfo(path).Length < 16 << 20, "the test input should stay small on disk");

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var error = Assert.Throws<GenoFlowFormatException>(() =>
        {
            using VcfReader reader = VcfReader.Open([path], limit);
            Drain(reader);
        });
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(path, error.File);
        Assert.Equal(4, error.Line);
        Assert.Contains("longer than the limit of 8,388,608 bytes", error.Message, StringComparison.Ordinal);
        // Reading the 4 GiB line would allocate at least that; the bound is the limit plus a few chunk buffers.
        Assert.True(allocated < 512L << 20, $"reading up to the limit allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_line_just_under_the_limit_is_read()
    {
        string path = Write(_dir, "wide.vcf", Header("s1") + Record("1", 10, "rs" + new string('9', 9000), "A", "G", "0/1"));

        using VcfReader reader = VcfReader.Open([path], maxLineBytes: 9100);
        Assert.Single(Drain(reader));
    }

    /// <summary>
    /// A VCF header, then a record whose ID is <paramref name="lineGiB"/> GiB of '9': the same 16 MiB gzip member repeated,
    /// so the file is a few megabytes (gzip members concatenate into one stream).
    /// </summary>
    internal static string InflatingLine(TempDirectory dir, string name, int lineGiB)
    {
        string path = Path.Combine(dir.Path, name);
        using var file = File.Create(path);
        WriteMember(file, Encoding.ASCII.GetBytes(Header("s1") + "1\t10\trs"));
        using var block = new MemoryStream();
        WriteMember(block, Enumerable.Repeat((byte)'9', 16 << 20).ToArray());
        for (int i = 0; i < lineGiB * 64; i++)
        {
            block.Position = 0;
            block.CopyTo(file);
        }
        return path;
    }

    private static void WriteMember(Stream output, byte[] content)
    {
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        gzip.Write(content);
    }
}
