using System.IO.Compression;
using System.Text;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;
using GenoFlow.Core.Tests.Storage;
using GenoFlow.Tests.Shared;
using static GenoFlow.Core.Tests.Formats.Vcf.VcfTestFiles;

namespace GenoFlow.Core.Tests.Formats;

/// <summary>
/// Thousands of randomly mutated inputs (seeded, so a failure reproduces): each ends in a result or one GenoFlow error
/// line, never another exception, a hang or a large allocation.
/// </summary>
public sealed class MutatedInputTests : IDisposable
{
    private const int Cases = 500;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mutated_vcfs_end_in_records_or_one_format_error(bool gzip)
    {
        byte[] valid = Encoding.ASCII.GetBytes(Header("s1", "s2", "s3") +
            Record("1", 100, "rs1", "A", "G", "0/0", "0|1", "1/1") +
            Record("1", 200, ".", "AC", "A,T", "1/2", "./.", "0/1") +
            Record("2", 50, "rs3", "T", "C", "1", ".", "0/1:35"));
        string path = _dir.File(gzip ? "m.vcf.gz" : "m.vcf");
        Run(valid, seed: gzip ? 2 : 1, bytes =>
        {
            File.WriteAllBytes(path, gzip ? Gzip(bytes) : bytes);
            using VcfReader reader = VcfReader.Open([path], maxLineBytes: 1 << 20);
            Drain(reader);
        }, e => e is GenoFlowFormatException);
    }

    [Fact]
    public void Mutated_plink_filesets_end_in_rows_or_one_format_error()
    {
        byte[] fam = Encoding.ASCII.GetBytes("f1 s1 0 0 1 -9\nf2 s2 0 0 2 1\nf3 s3 0 0 0 2\n");
        byte[] bim = Encoding.ASCII.GetBytes("1\trs1\t0\t100\tA\tG\n1\trs2\t0.5\t200\tC\tT\n");
        byte[] bed = [0x6c, 0x1b, 0x01, 0b11_10_01_00, 0b00_11_11_11];
        string prefix = _dir.File("p");
        var random = new Random(3);
        Run(bim, seed: 4, bytes =>
        {
            // Mutate one member at a time, the others valid.
            int which = random.Next(3);
            File.WriteAllBytes(prefix + ".fam", which == 0 ? Mutator.Mutate(fam, random) : fam);
            File.WriteAllBytes(prefix + ".bim", which == 1 ? bytes : bim);
            File.WriteAllBytes(prefix + ".bed", which == 2 ? Mutator.Mutate(bed, random) : bed);
            using BedReader reader = BedReader.Open(prefix);
            var row = new byte[PackedGenotypes.RowBytes(reader.Samples.Count)];
            while (reader.ReadNext(out _, row))
            {
            }
        }, e => e is GenoFlowFormatException);
    }

    [Fact]
    public void Mutated_manifests_are_refused_or_open_a_dataset_that_verifies_or_names_its_damage()
    {
        string path = _dir.File("ds");
        TestMatrix.Random(10, [5, 3]).WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
        string manifest = Path.Join(path, "manifest.json");
        byte[] valid = File.ReadAllBytes(manifest);
        Run(valid, seed: 5, bytes =>
        {
            File.WriteAllBytes(manifest, bytes);
            using Dataset dataset = Dataset.Open(path);
            dataset.Verify();
        }, e => e is GenoFlowFormatException or DatasetException);
    }

    /// <summary>Runs <paramref name="read"/> on mutations of <paramref name="valid"/>; any exception must satisfy <paramref name="expected"/>.</summary>
    private static void Run(byte[] valid, int seed, Action<byte[]> read, Func<Exception, bool> expected)
    {
        var random = new Random(seed);
        for (int i = 0; i < Cases; i++)
        {
            byte[] mutated = Mutator.Mutate(valid, random);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read(mutated);
            }
            catch (Exception e) when (expected(e))
            {
                Assert.False(e.Message.Contains('\n', StringComparison.Ordinal), $"case {i}: a multi-line message: {e.Message}");
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({Convert.ToBase64String(mutated)}) threw {e.GetType().Name}: {e.Message}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 256L << 20, $"case {i} allocated {allocated:N0} bytes");
        }
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }
        return output.ToArray();
    }
}
