using System.IO.Compression;
using System.Text;
using GenoFlow.Core.Formats.Bgzf;

namespace GenoFlow.Core.Tests.Formats.Bgzf;

public sealed class BgzfTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Half text-like (compressible), half random bytes, deterministic.</summary>
    internal static byte[] SampleData(int length, int seed = 42)
    {
        var random = new Random(seed);
        byte[] data = new byte[length];
        random.NextBytes(data);
        byte[] text = Encoding.ASCII.GetBytes("chr1\t12345\trs1\tA\tG\t.\tPASS\t.\tGT\t0/0\t0|1\t1/1\t./.\n");
        for (int i = 0; i < length / 2; i++)
        {
            data[i] = text[(i + random.Next(2)) % text.Length];
        }
        return data;
    }

    private static byte[] ReadAll(string path)
    {
        using Stream input = CompressedInput.Open(path);
        using var output = new MemoryStream();
        byte[] buffer = new byte[7919];
        int n;
        while ((n = input.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }

    private string WriteBgzf(byte[] data, string name = "data.gz", int level = 6)
    {
        string path = _dir.File(name);
        using (var writer = new BgzfWriter(File.Create(path), level))
        {
            writer.Write(data);
        }
        return path;
    }

    private static List<long> BlockOffsets(byte[] file)
    {
        var offsets = new List<long>();
        for (int p = 0; p < file.Length; p += (file[p + 16] | (file[p + 17] << 8)) + 1)
        {
            offsets.Add(p);
        }
        return offsets;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(BgzfWriter.MaxBlockInput)]
    [InlineData(BgzfWriter.MaxBlockInput + 1)]
    [InlineData(3_000_000)]
    public void Round_trip_gives_the_same_bytes(int length)
    {
        byte[] data = SampleData(length);
        string path = WriteBgzf(data);

        Assert.Equal(data, ReadAll(path));
        byte[] file = File.ReadAllBytes(path);
        int expectedBlocks = (length + BgzfWriter.MaxBlockInput - 1) / BgzfWriter.MaxBlockInput + 1;
        Assert.Equal(expectedBlocks, BlockOffsets(file).Count);
        Assert.Equal(GzipHeaderEof, file[^28..]);
    }

    private static byte[] GzipHeaderEof => Convert.FromHexString("1f8b08040000000000ff0600424302001b0003000000000000000000");

    [Fact]
    public void Flush_ends_a_block_early_and_the_data_still_round_trips()
    {
        string path = _dir.File("flushed.gz");
        using (var writer = new BgzfWriter(File.Create(path)))
        {
            writer.Write("hello "u8);
            writer.Flush();
            writer.Write("world"u8);
        }
        Assert.Equal("hello world"u8.ToArray(), ReadAll(path));
        Assert.Equal(3, BlockOffsets(File.ReadAllBytes(path)).Count);
    }

    [Fact]
    public void Reads_what_bgzip_compressed()
    {
        byte[] data = SampleData(1_000_000, seed: 7);
        string plain = _dir.File("bgzip-input.txt");
        File.WriteAllBytes(plain, data);
        File.WriteAllBytes(plain + ".gz", ExternalTool.Run("bgzip", "-c", plain));

        Assert.True(BlockOffsets(File.ReadAllBytes(plain + ".gz")).Count > 2, "bgzip should have written several blocks");
        Assert.Equal(data, ReadAll(plain + ".gz"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void Bgzip_decompresses_what_BgzfWriter_wrote(int level)
    {
        byte[] data = SampleData(500_000, seed: 3);
        string path = WriteBgzf(data, level: level);

        Assert.Equal(data, ExternalTool.Run("bgzip", "-d", "-c", path));
        ExternalTool.Run("bgzip", "--test", path);
    }

    [Fact]
    public void Plain_text_passes_through()
    {
        byte[] data = Encoding.ASCII.GetBytes("##fileformat=VCFv4.3\n");
        string path = _dir.File("plain.vcf");
        File.WriteAllBytes(path, data);
        Assert.Equal(data, ReadAll(path));
    }

    [Fact]
    public void Plain_gzip_with_several_members_yields_all_members()
    {
        byte[] first = SampleData(200_000, seed: 1);
        byte[] second = SampleData(70_000, seed: 2);
        string path = _dir.File("multi.gz");
        File.WriteAllBytes(path, [.. GzipBytes(first), .. GzipBytes([]), .. GzipBytes(second)]);

        Assert.Equal([.. first, .. second], ReadAll(path));
    }

    [Fact]
    public void Plain_gzip_written_by_gzip_with_a_file_name_is_read()
    {
        byte[] data = SampleData(100_000, seed: 9);
        string plain = _dir.File("named.txt");
        File.WriteAllBytes(plain, data);
        var gzip = Process.Start(new ProcessStartInfo("gzip", ["-k", "-N", plain]) { UseShellExecute = false })!;
        gzip.WaitForExit();
        Assert.Equal(0, gzip.ExitCode);
        Assert.NotEqual(0, File.ReadAllBytes(plain + ".gz")[3] & 8);

        Assert.Equal(data, ReadAll(plain + ".gz"));
    }

    internal static byte[] GzipBytes(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    private GenoFlowFormatException ReadExpectingError(byte[] file, string name)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<GenoFlowFormatException>(() => ReadAll(path));
        Assert.Equal(path, e.File);
        Assert.StartsWith(path + ", byte offset ", e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void Empty_file_is_reported()
    {
        var e = ReadExpectingError([], "empty.gz");
        Assert.Contains("file is empty", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, e.ByteOffset);
    }

    [Fact]
    public void Bgzf_cut_in_the_middle_of_a_block_is_truncated()
    {
        byte[] file = File.ReadAllBytes(WriteBgzf(SampleData(400_000)));
        List<long> blocks = BlockOffsets(file);
        long cutBlock = blocks[3];
        int cut = (int)cutBlock + 100;

        var e = ReadExpectingError(file[..cut], "cut.gz");
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Equal(cutBlock, e.ByteOffset);
        Assert.Contains($"promises {file[(int)cutBlock + 16] + (file[(int)cutBlock + 17] << 8) + 1} bytes but only 100 remain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bgzf_without_the_eof_marker_is_truncated()
    {
        byte[] file = File.ReadAllBytes(WriteBgzf(SampleData(200_000)));
        byte[] cut = file[..^28];

        var e = ReadExpectingError(cut, "noeof.gz");
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Contains("EOF marker", e.Message, StringComparison.Ordinal);
        Assert.Equal(cut.Length, e.ByteOffset);
    }

    [Fact]
    public void Bgzf_cut_at_a_block_boundary_is_truncated()
    {
        byte[] file = File.ReadAllBytes(WriteBgzf(SampleData(400_000)));
        int boundary = (int)BlockOffsets(file)[2];

        var e = ReadExpectingError(file[..boundary], "boundary.gz");
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Equal(boundary, e.ByteOffset);
    }

    [Fact]
    public void Bgzf_corrupt_deflate_byte_is_reported_at_its_block()
    {
        byte[] file = File.ReadAllBytes(WriteBgzf(SampleData(400_000)));
        long block = BlockOffsets(file)[2];
        file[block + 18 + 40] ^= 0xff;

        var e = ReadExpectingError(file, "corrupt.gz");
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
        Assert.Equal(block, e.ByteOffset);
    }

    [Fact]
    public void Bgzf_crc_mismatch_is_reported()
    {
        byte[] file = File.ReadAllBytes(WriteBgzf(SampleData(400_000)));
        long nextBlock = BlockOffsets(file)[2];
        file[nextBlock - 8] ^= 1;

        var e = ReadExpectingError(file, "crc.gz");
        Assert.Contains("CRC32", e.Message, StringComparison.Ordinal);
        Assert.Equal(BlockOffsets(file)[1], e.ByteOffset);
    }

    [Fact]
    public void Bgzf_isize_mismatch_is_reported()
    {
        byte[] file = File.ReadAllBytes(WriteBgzf(SampleData(100_000)));
        long nextBlock = BlockOffsets(file)[1];
        file[nextBlock - 4] ^= 1;

        var e = ReadExpectingError(file, "isize.gz");
        Assert.Contains("ISIZE", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, e.ByteOffset);
    }

    [Fact]
    public void Garbage_after_bgzf_is_reported()
    {
        byte[] file = File.ReadAllBytes(WriteBgzf(SampleData(1000)));

        var e = ReadExpectingError([.. file, .. "trailing junk"u8], "junk.gz");
        Assert.Contains("not a gzip header", e.Message, StringComparison.Ordinal);
        Assert.Equal(file.Length, e.ByteOffset);
    }

    [Fact]
    public void Truncated_plain_gzip_is_reported()
    {
        byte[] file = GzipBytes(SampleData(300_000));

        var e = ReadExpectingError(file[..(file.Length / 2)], "cut-plain.gz");
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Equal(file.Length / 2, e.ByteOffset);
    }

    [Fact]
    public void Plain_gzip_missing_part_of_its_trailer_is_truncated()
    {
        byte[] file = GzipBytes(SampleData(300_000));

        var e = ReadExpectingError(file[..^3], "cut-trailer.gz");
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_gzip_crc_mismatch_is_reported()
    {
        byte[] file = GzipBytes(SampleData(300_000));
        file[^6] ^= 1;

        var e = ReadExpectingError(file, "crc-plain.gz");
        Assert.Contains("CRC32/ISIZE", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, e.ByteOffset);
    }

    [Fact]
    public void Garbage_after_a_plain_gzip_member_is_reported()
    {
        byte[] member = GzipBytes(SampleData(50_000));

        var e = ReadExpectingError([.. member, .. member, .. "junk after"u8], "junk-plain.gz");
        Assert.Contains("not a gzip header", e.Message, StringComparison.Ordinal);
        Assert.Equal(2 * member.Length, e.ByteOffset);
    }

    [Fact]
    public void Corrupt_plain_gzip_is_reported()
    {
        byte[] file = GzipBytes(SampleData(300_000));
        for (int i = 1000; i < 1100; i++)
        {
            file[i] ^= 0x5a;
        }

        var e = ReadExpectingError(file, "corrupt-plain.gz");
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forged_isize_beyond_the_bgzf_limit_is_refused_before_inflating()
    {
        byte[] file = File.ReadAllBytes(WriteBgzf(SampleData(200_000)));
        List<long> blocks = BlockOffsets(file);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan((int)blocks[2] - 4), uint.MaxValue);

        // This thread's allocations (the suite runs in parallel): it reads the blocks; inflating waits for the ISIZE check.
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = ReadExpectingError(file, "isize-forged.gz");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("ISIZE 4294967295 exceeds 65536", e.Message, StringComparison.Ordinal);
        Assert.Equal(blocks[1], e.ByteOffset);
        Assert.True(allocated < 16 << 20, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_forged_bsize_reaching_past_the_end_of_the_file_is_refused_naming_the_block()
    {
        byte[] file = File.ReadAllBytes(WriteBgzf(SampleData(1000)));
        long eof = BlockOffsets(file)[^1];
        file[eof + 16] = 0xff; // BSIZE of the 28-byte end-of-file block: 65535
        file[eof + 17] = 0xff;

        var e = ReadExpectingError(file, "bsize-forged.gz");

        Assert.Contains($"the block at byte offset {eof} promises 65536 bytes but only 28 remain", e.Message, StringComparison.Ordinal);
        Assert.Equal(eof, e.ByteOffset);
    }

    /// <summary>
    /// Forged header and trailer fields (XLEN, the BC subfield, BSIZE, CRC32, ISIZE) at random: every case reads the
    /// original bytes or ends in one error naming the file and a byte offset in it, with bounded allocation (a forged first
    /// header can make the file read as plain gzip, whose errors name the offset where the damage shows).
    /// </summary>
    [Fact]
    public void Forged_block_headers_and_trailers_end_in_the_data_or_one_error_at_a_byte_offset()
    {
        byte[] data = SampleData(300_000);
        byte[] valid = File.ReadAllBytes(WriteBgzf(data));
        List<long> blocks = BlockOffsets(valid);
        string path = _dir.File("forged.gz");
        var random = new Random(17);
        for (int i = 0; i < 2000; i++)
        {
            byte[] forged = [.. valid];
            int block = random.Next(blocks.Count);
            long start = blocks[block];
            long end = block + 1 < blocks.Count ? blocks[block + 1] : valid.Length;
            // One of the 16 header bytes after the magic (without it the file is plain text, read as it is) or the 8
            // trailer bytes of one block, or a whole 16-bit field at once.
            long at = random.Next(2) == 0 ? start + 2 + random.Next(16) : end - 1 - random.Next(8);
            forged[at] = (byte)random.Next(256);
            if (random.Next(4) == 0 && at + 1 < end)
            {
                forged[at + 1] = (byte)random.Next(256);
            }
            File.WriteAllBytes(path, forged);

            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                byte[] read = ReadAll(path);
                Assert.True(read.AsSpan().SequenceEqual(data), $"case {i} (byte {at} = {forged[at]:x2}) read other data without an error");
            }
            catch (GenoFlowFormatException e)
            {
                Assert.True(e.File == path && e.ByteOffset is >= 0 and <= int.MaxValue && e.ByteOffset <= valid.Length && !e.Message.Contains('\n', StringComparison.Ordinal),
                    $"case {i} (byte {at} = {forged[at]:x2}): {e.Message}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64 << 20, $"case {i} (byte {at}) allocated {allocated:N0} bytes");
        }
    }
}
