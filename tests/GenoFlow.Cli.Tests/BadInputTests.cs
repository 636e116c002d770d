namespace GenoFlow.Cli.Tests;

public class BadInputTests
{
    private const string Header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB\n";

    [Fact]
    public async Task A_vcf_line_with_too_few_columns_names_file_and_line_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        string vcf = dir["bad.vcf"];
        await File.WriteAllTextAsync(vcf, Header + "1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n1\t20\t.\tA\tG\t.\t.\t.\tGT\t0/1\n");

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["import", "--vcf", vcf, "--out", dir["ds"]]);

        AssertCleanFailure(result, "bad.vcf", "line 4");
        Assert.False(Directory.Exists(dir["ds"]), "a failed import must leave no dataset");
        Assert.Single(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task An_allele_index_beyond_alt_names_line_and_column()
    {
        using var dir = new TempDirectory();
        string vcf = dir["bad.vcf"];
        await File.WriteAllTextAsync(vcf, Header + "1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/2\n");

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["import", "--vcf", vcf, "--out", dir["ds"]]);

        AssertCleanFailure(result, "bad.vcf", "line 3", "column 11");
        Assert.False(Directory.Exists(dir["ds"]));
    }

    [Fact]
    public async Task A_missing_bed_fileset_is_named()
    {
        using var dir = new TempDirectory();
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["import", "--bed", dir["nothing"], "--out", dir["ds"]]);
        AssertCleanFailure(result, "nothing");
        Assert.False(Directory.Exists(dir["ds"]));
    }

    [Fact]
    public async Task A_bed_with_the_wrong_magic_is_refused_at_byte_offset_0()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "20", "--variants", "30");
        byte[] bed = await File.ReadAllBytesAsync(dir["sim/cohort.bed"]);
        bed[0] = 0x00;
        await File.WriteAllBytesAsync(dir["sim/cohort.bed"], bed);

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["import", "--bed", dir["sim/cohort"], "--out", dir["ds"]]);

        AssertCleanFailure(result, "cohort.bed", "byte offset 0");
        Assert.False(Directory.Exists(dir["ds"]));
    }

    [Fact]
    public async Task A_damaged_tile_fails_info_and_export_naming_the_tile_and_export_writes_nothing()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "100", "--variants", "400");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "100");
        string tile = Directory.EnumerateFiles(dir["ds"], "*.parquet", SearchOption.AllDirectories).Where(f => f.Contains("tiles", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last();
        byte[] bytes = await File.ReadAllBytesAsync(tile);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(tile, bytes);

        GenoFlowProcess.Result info = await GenoFlowProcess.RunAsync(["info", dir["ds"]]);
        AssertCleanFailure(info, Path.GetFileName(tile));

        GenoFlowProcess.Result export = await GenoFlowProcess.RunAsync(["export", dir["ds"], "--bed", dir["out"]]);
        AssertCleanFailure(export, Path.GetFileName(tile));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "out*"));
    }

    [Fact]
    public async Task A_tampered_manifest_is_detected()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "40", "--variants", "50");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"]);
        string manifest = dir["ds/manifest.json"];
        string text = await File.ReadAllTextAsync(manifest);
        Assert.Contains("\"variant_count\": 50", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(manifest, text.Replace("\"variant_count\": 50", "\"variant_count\": 49", StringComparison.Ordinal));

        AssertCleanFailure(await GenoFlowProcess.RunAsync(["info", dir["ds"]]), "manifest.json");
    }

    [Fact]
    public async Task Import_needs_exactly_one_input_and_a_valid_tile_shape()
    {
        using var dir = new TempDirectory();
        GenoFlowProcess.Result both = await GenoFlowProcess.RunAsync(["import", "--bed", "x", "--vcf", "y.vcf", "--out", dir["ds"]]);
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("exactly one input", both.StdErr, StringComparison.Ordinal);

        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "10", "--variants", "10");
        GenoFlowProcess.Result shape = await GenoFlowProcess.RunAsync(["import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--samples-per-tile", "6"]);
        AssertCleanFailure(shape, "multiple of 4");
        Assert.False(Directory.Exists(dir["ds"]));
    }

    /// <summary>Non-zero exit, an error line on stderr naming what went wrong, no stack trace.</summary>
    internal static void AssertCleanFailure(GenoFlowProcess.Result result, params string[] mentions)
    {
        Assert.True(result.ExitCode != 0, $"expected failure: {result}");
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        // Progress lines may come first; the error lines are the ones GenoFlow prefixes with its name.
        string error = string.Join('\n', result.StdErr.Split('\n').Where(l => l.StartsWith("genoflow: ", StringComparison.Ordinal)));
        Assert.False(error.Length == 0, $"no 'genoflow: ' error line: {result}");
        foreach (string mention in mentions)
        {
            Assert.Contains(mention, error, StringComparison.Ordinal);
        }
    }
}
