using System.Buffers.Binary;

namespace GenoFlow.Cli.Tests;

/// <summary>Each kind of broken BGEN input: one error naming the file and byte offset, exit 1, no dataset written.</summary>
public class BgenBadInputTests
{
    [Fact]
    public async Task Wrong_magic_is_refused_at_byte_offset_16()
    {
        using var dir = await Plink2BgenAsync("bgen-1.2");
        byte[] bytes = await File.ReadAllBytesAsync(dir["b.bgen"]);
        "bgxn"u8.CopyTo(bytes.AsSpan(16));
        await File.WriteAllBytesAsync(dir["b.bgen"], bytes);

        await AssertRefusedAsync(dir, ["--bgen", dir["b.bgen"]], "b.bgen", "byte offset 16", "magic");
    }

    [Fact]
    public async Task A_truncated_variant_block_is_refused_where_the_file_ends()
    {
        using var dir = await Plink2BgenAsync("bgen-1.2");
        byte[] bytes = await File.ReadAllBytesAsync(dir["b.bgen"]);
        await File.WriteAllBytesAsync(dir["b.bgen"], bytes[..^30]);

        await AssertRefusedAsync(dir, ["--bgen", dir["b.bgen"]], "b.bgen", "byte offset", "ends inside");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, -1)]
    [InlineData(2, 5)]
    [InlineData(1, 100_000_000)]
    public async Task A_block_that_does_not_decompress_to_its_stated_length_is_refused(int compression, int error)
    {
        using var dir = new TempDirectory();
        var bgen = new BgenBuilder(3, ["a", "b", "c"], compression);
        bgen.Add(BgenBuilder.FromCalls("1", 10, "v1", ["A", "G"], ["0/0", "0/1", "1/1"], false, 8));
        bgen.Add(BgenBuilder.FromCalls("1", 20, "v2", ["A", "G"], ["0/0", "0/1", "1/1"], false, 8), statedLengthError: error);
        bgen.Write(dir["b.bgen"]);

        await AssertRefusedAsync(dir, ["--bgen", dir["b.bgen"]], "b.bgen", "byte offset", "decompress");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public async Task A_bit_depth_the_spec_does_not_allow_is_refused(int bits)
    {
        using var dir = new TempDirectory();
        var bgen = new BgenBuilder(3, ["a", "b", "c"]);
        bgen.Add(BgenBuilder.FromCalls("1", 10, "v1", ["A", "G"], ["0/0", "0/1", "1/1"], false, 8), data => data[^7] = (byte)bits);
        bgen.Write(dir["b.bgen"]);

        await AssertRefusedAsync(dir, ["--bgen", dir["b.bgen"]], "b.bgen", "byte offset", $"bit depth {bits}");
    }

    [Theory]
    [InlineData("bgen-1.2", 3u << 2, "layout 3")]
    [InlineData("bgen-1.1", 2u, "zstd")]
    public async Task A_layout_or_compression_the_header_does_not_allow_is_refused(string format, uint flagBits, string mention)
    {
        using var dir = await Plink2BgenAsync(format);
        byte[] bytes = await File.ReadAllBytesAsync(dir["b.bgen"]);
        int flagsAt = 4 + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)) - 4;
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(flagsAt));
        uint cleared = format == "bgen-1.1" ? flags & ~3u : flags & ~(0xFu << 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(flagsAt), cleared | flagBits);
        await File.WriteAllBytesAsync(dir["b.bgen"], bytes);

        await AssertRefusedAsync(dir, ["--bgen", dir["b.bgen"], "--sample", dir["b.sample"]], "b.bgen", $"byte offset {flagsAt}", mention);
    }

    [Fact]
    public async Task A_header_sample_count_that_differs_from_the_sample_block_is_refused()
    {
        using var dir = await Plink2BgenAsync("bgen-1.2");
        byte[] bytes = await File.ReadAllBytesAsync(dir["b.bgen"]);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 12);
        await File.WriteAllBytesAsync(dir["b.bgen"], bytes);

        await AssertRefusedAsync(dir, ["--bgen", dir["b.bgen"]], "b.bgen", "byte offset", "sample identifier block lists 11 samples but the header says 12");
    }

    [Fact]
    public async Task A_sample_file_with_another_sample_count_is_refused()
    {
        using var dir = await Plink2BgenAsync("bgen-1.2");
        string[] lines = await File.ReadAllLinesAsync(dir["b.sample"]);
        await File.WriteAllLinesAsync(dir["b.sample"], lines[..^1]);

        await AssertRefusedAsync(dir, ["--bgen", dir["b.bgen"], "--sample", dir["b.sample"]], "b.sample", "byte offset 12", "lists 10 samples", "says 11");
    }

    [Fact]
    public async Task A_sample_file_naming_other_samples_than_the_sample_block_is_refused()
    {
        using var dir = await Plink2BgenAsync("bgen-1.2");
        string text = await File.ReadAllTextAsync(dir["b.sample"]);
        await File.WriteAllTextAsync(dir["b.sample"], text.Replace("pop2_s000003", "someone_else", StringComparison.Ordinal));

        await AssertRefusedAsync(dir, ["--bgen", dir["b.bgen"], "--sample", dir["b.sample"]], "b.sample", "sample 4 is 'someone_else'");
    }

    [Fact]
    public async Task A_v1_1_file_without_a_sample_file_asks_for_one()
    {
        using var dir = await Plink2BgenAsync("bgen-1.1");
        await AssertRefusedAsync(dir, ["--bgen", dir["b.bgen"]], "b.bgen", "byte offset 4", "--sample");
    }

    /// <summary>A plink2-written BGEN (b.bgen, b.sample) of 11 simulated samples x 40 variants.</summary>
    private static async Task<TempDirectory> Plink2BgenAsync(string format)
    {
        var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "11", "--variants", "40", "--seed", "2");
        await ExternalTool.RunAsync("plink2", "--bfile", dir["sim/cohort"], "--export", format, "ref-first", "--out", dir["b"], "--silent");
        return dir;
    }

    private static async Task AssertRefusedAsync(TempDirectory dir, string[] input, params string[] mentions)
    {
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["import", .. input, "--out", dir["ds"]]);
        BadInputTests.AssertCleanFailure(result, mentions);
        Assert.False(Directory.Exists(dir["ds"]), "a failed import must leave no dataset");
        Assert.Empty(Directory.EnumerateDirectories(dir.Path, "ds*"));
    }
}
