namespace GenoFlow.Cli.Tests;

public class QcCommandTests
{
    [Fact]
    public async Task Qc_writes_tables_in_both_formats_and_keep_lists_that_follow_the_filters()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "403", "--variants", "1200", "--missing-rate", "0.03", "--fst", "0.2");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "128", "--samples-per-tile", "128");

        GenoFlowProcess.Result tsv = await GenoFlowProcess.RunOkAsync("qc", dir["ds"], "--out", dir["qc"], "--maf", "0.05", "--hwe", "1e-6");
        await GenoFlowProcess.RunOkAsync("qc", dir["ds"], "--out", dir["qc-parquet"], "--format", "parquet");

        string[] variantLines = await File.ReadAllLinesAsync(dir["qc/variant_qc.tsv"]);
        Assert.Equal("chrom\tpos\tid\tref\talt\tn_hom_ref\tn_het\tn_hom_alt\tn_missing\tcall_rate\talt_freq\thwe_p\tpass", variantLines[0]);
        Assert.Equal(1201, variantLines.Length);
        int passing = variantLines.Skip(1).Count(l => l.EndsWith("\ttrue", StringComparison.Ordinal));
        Assert.InRange(passing, 1, 1199);
        Assert.Equal(passing, (await File.ReadAllLinesAsync(dir["qc/variants.keep"])).Length);
        Assert.Contains($"variants: {passing:N0} of 1,200 pass", tsv.StdOut, StringComparison.Ordinal);
        Assert.Equal("sample_id\tn_called\tn_missing\tcall_rate\tn_het\tn_hom_alt\thet_rate\tpass", (await File.ReadAllLinesAsync(dir["qc/sample_qc.tsv"]))[0]);
        Assert.True(File.Exists(dir["qc-parquet/variant_qc.parquet"]) && File.Exists(dir["qc-parquet/sample_qc.parquet"]));
    }

    [Fact]
    public async Task Qc_of_a_missing_dataset_fails_cleanly_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["qc", dir["none"], "--out", dir["qc"]]);
        BadInputTests.AssertCleanFailure(result, "none", "not a GenoFlow dataset");
        Assert.False(Directory.Exists(dir["qc"]));
    }

    [Fact]
    public async Task Qc_counts_are_the_same_without_hardware_intrinsics()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "1001", "--variants", "700", "--missing-rate", "0.05");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--samples-per-tile", "512");
        await GenoFlowProcess.RunOkAsync("qc", dir["ds"], "--out", dir["simd"], "--no-result-store");
        GenoFlowProcess.Result scalar = await GenoFlowProcess.RunAsync(["qc", dir["ds"], "--out", dir["scalar"], "--no-result-store"], new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" });
        Assert.True(scalar.ExitCode == 0, scalar.ToString());

        foreach (string file in new[] { "variant_qc.tsv", "sample_qc.tsv" })
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(dir["simd"], file)), await File.ReadAllTextAsync(Path.Combine(dir["scalar"], file)));
        }
    }

    [Fact]
    public async Task Qc_of_a_damaged_tile_names_the_tile_and_leaves_no_output()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "100", "--variants", "300");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "50");
        string tile = Directory.EnumerateFiles(dir["ds"], "*.parquet", SearchOption.AllDirectories).Where(f => f.Contains("tiles", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ElementAt(2);
        byte[] bytes = await File.ReadAllBytesAsync(tile);
        bytes[bytes.Length / 3] ^= 0x5A;
        await File.WriteAllBytesAsync(tile, bytes);

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["qc", dir["ds"], "--out", dir["qc"]]);

        BadInputTests.AssertCleanFailure(result, Path.GetFileName(tile), "checksum mismatch");
        Assert.False(Directory.Exists(dir["qc"]));
    }

    [Fact]
    public async Task Qc_against_an_unreachable_seed_fails_within_the_join_timeout()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "10", "--variants", "10");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"]);
        await File.WriteAllTextAsync(dir["short.conf"], "genoflow.cluster.join-timeout = 3s");
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["qc", dir["ds"], "--out", dir["qc"], "--cluster", $"127.0.0.1:{closedPort}", "--config", dir["short.conf"]], deadline: TimeSpan.FromSeconds(60));

        BadInputTests.AssertCleanFailure(result, $"127.0.0.1:{closedPort}", "could not join", "within 3 s");
        Assert.False(Directory.Exists(dir["qc"]));
    }
}
