using System.Buffers.Binary;
using System.Diagnostics;
using GenoFlow.Core.Storage;

namespace GenoFlow.Core.Tests.Storage;

/// <summary>
/// Lengths read from files are checked against the bytes present and a limit before anything is allocated: Parquet
/// footers of tiles (forged at random, and to claim 2 GiB), and manifests that are huge or a FIFO.
/// </summary>
public sealed class BoundedReadTests : IDisposable
{
    private const int Cases = 500;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Tiles_with_forged_footer_lengths_end_in_rows_or_one_format_error_without_a_hang_or_a_large_allocation()
    {
        string path = _dir.Join("ds");
        TestMatrix.Random(10, [5, 3]).WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
        string tile = Directory.GetFiles(path, "r000000_b0000.parquet", SearchOption.AllDirectories).Single();
        byte[] valid = File.ReadAllBytes(tile);
        var random = new Random(11);
        for (int i = 0; i < Cases; i++)
        {
            // The footer's metadata length, the field a reader sizes its buffer from: any value, small ones often.
            // (Mutations of the rest of a tile: ForgedTileTests.)
            byte[] mutated = [.. valid];
            uint forged = random.Next(3) == 0 ? (uint)random.Next(valid.Length + 16) : (uint)random.NextInt64(uint.MaxValue);
            BinaryPrimitives.WriteUInt32LittleEndian(mutated.AsSpan(mutated.Length - 8), forged);
            string problem;
            try
            {
                problem = await Task.Run(() => Decode(mutated, tile)).WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                problem = "hung for 20 s";
            }
            Assert.True(problem.Length == 0, $"case {i} ({Convert.ToBase64String(mutated)}): {problem}");
        }
    }

    /// <summary>"" when decoding ends in rows or one GenoFlow error line without a large allocation, else what went wrong.</summary>
    private static string Decode(byte[] contents, string tile)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            TileCodec.Decode(contents, tile, firstVariant: 0, rowCount: 4, blockBytes: 2);
        }
        catch (GenoFlowFormatException e) when (!e.Message.Contains('\n', StringComparison.Ordinal))
        {
        }
        catch (Exception e)
        {
            return $"threw {e.GetType().Name}: {e.Message}";
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated < 64L << 20 ? "" : $"allocated {allocated:N0} bytes";
    }

    [Fact]
    public void A_footer_claiming_more_metadata_than_the_file_holds_is_refused_naming_both()
    {
        string path = _dir.Join("ds");
        TestMatrix.Random(10, [5]).WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
        string tile = Directory.GetFiles(path, "r000000_b0000.parquet", SearchOption.AllDirectories).Single();
        byte[] forged = File.ReadAllBytes(tile);
        BinaryPrimitives.WriteInt32LittleEndian(forged.AsSpan(forged.Length - 8), int.MaxValue);

        var error = Assert.Throws<GenoFlowFormatException>(() => ParquetFooter.Check(new MemoryStream(forged), tile));

        Assert.Equal($"{tile}, byte offset {forged.Length - 8}: damaged Parquet footer: it claims 2147483647 bytes of metadata, but the file holds {forged.Length - 12} before it", error.Message);
    }

    [Fact]
    public void A_manifest_larger_than_the_limit_is_refused_before_it_is_read()
    {
        string path = _dir.Join("ds");
        TestMatrix.Random(10, [5]).WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
        string manifest = Path.Join(path, DatasetLayout.ManifestFileName);
        using (var file = new FileStream(manifest, FileMode.Truncate))
        {
            // Sparse: costs no disk, but a reader that trusted the file would allocate 300 MB.
            file.SetLength(300L << 20);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<GenoFlowFormatException>(() => Dataset.Open(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains($"manifest is {300L << 20} bytes, more than the {BoundedFile.MaxManifestBytes} bytes allowed", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_kept_release_manifest_larger_than_the_limit_is_refused_by_every_reader_naming_it()
    {
        string path = _dir.Join("ds");
        var full = TestMatrix.Random(20, [13, 7], seed: 5);
        full.TakeSamples(0, 14).WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 5, SamplesPerTile: 8, Release: "R1"));
        ReleaseAppender.Append(path, new AppendOptions("R2"), (at, write) => full.TakeSamples(14, 6).WriteTo(at, write));
        string kept = Directory.GetFiles(Path.Join(path, "releases"), "*.manifest.json").Single();
        using (var file = new FileStream(kept, FileMode.Truncate))
        {
            file.SetLength(300L << 20); // sparse, as above
        }
        string expected = $"{kept}: manifest is {300L << 20} bytes, more than the {BoundedFile.MaxManifestBytes} bytes allowed";

        long before = GC.GetAllocatedBytesForCurrentThread();
        var byLabel = Assert.Throws<GenoFlowFormatException>(() => Dataset.Open(path + "@R1"));
        var prune = Assert.Throws<GenoFlowFormatException>(() => ReleasePruner.Prune(path, keep: 2));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.All(new[] { byLabel, prune }, e => Assert.StartsWith(expected, e.Message, StringComparison.Ordinal));
        Assert.True(allocated < 16 << 20, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task A_manifest_that_is_a_fifo_is_refused_without_blocking()
    {
        string path = _dir.Join("ds");
        TestMatrix.Random(10, [5]).WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
        string manifest = Path.Join(path, DatasetLayout.ManifestFileName);
        File.Delete(manifest);
        using (Process mkfifo = Process.Start("mkfifo", [manifest]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Exception? error = await Task.Run(() => Record.Exception(() => Dataset.Open(path))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("not a regular file", Assert.IsType<GenoFlowFormatException>(error).Message, StringComparison.Ordinal);
    }
}
