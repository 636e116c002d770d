namespace GenoFlow.Cli.Tests;

public class PcaCommandTests
{
    [Fact]
    public async Task Pca_follows_keep_qc_and_extract_and_gives_the_same_bytes_without_hardware_intrinsics()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "501", "--variants", "2000", "--missing-rate", "0.03", "--fst", "0.1", "--seed", "8");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "300", "--samples-per-tile", "128");
        await GenoFlowProcess.RunOkAsync("qc", dir["ds"], "--out", dir["qc"], "--maf", "0.1", "--sample-max-missing", "0.0305");
        string[] keptVariants = await File.ReadAllLinesAsync(dir["qc/variants.keep"]);
        string[] keptSamples = await File.ReadAllLinesAsync(dir["qc/samples.keep"]);
        Assert.InRange(keptSamples.Length, 10, 500);
        // --extract: every other kept variant, by ID.
        await File.WriteAllLinesAsync(dir["extract.txt"], keptVariants.Where((_, i) => i % 2 == 0).Select(l => l.Split('\t')[1]));
        string[] args = ["pca", dir["ds"], "-k", "3", "--keep-qc", dir["qc"], "--extract", dir["extract.txt"], "--seed", "4"];

        GenoFlowProcess.Result simd = await GenoFlowProcess.RunOkAsync([.. args, "--out", dir["simd"]]);
        GenoFlowProcess.Result scalar = await GenoFlowProcess.RunAsync([.. args, "--out", dir["scalar"]], new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" });
        Assert.True(scalar.ExitCode == 0, scalar.ToString());

        string[] scores = await File.ReadAllLinesAsync(dir["simd/scores.tsv"]);
        Assert.Equal("sample_id\tPC1\tPC2\tPC3", scores[0]);
        Assert.Equal(keptSamples.Select(l => l.Split('\t')[1]), scores.Skip(1).Select(l => l.Split('\t')[0]));
        string model = await File.ReadAllTextAsync(dir["simd/model.json"]);
        Assert.Contains($"\"variants_used\": {(keptVariants.Length + 1) / 2}", model, StringComparison.Ordinal);
        Assert.Contains("\"method\": \"randomized\"", model, StringComparison.Ordinal);
        Assert.Contains("principal components of", simd.StdOut, StringComparison.Ordinal);
        foreach (string file in new[] { "eigenvalues.tsv", "scores.tsv" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(dir["simd"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["scalar"], file))), $"{file} differs with hardware intrinsics off");
        }
        // loadings.parquet's Snappy pages compress differently without intrinsics; its values are compared through
        // what they determine, the projected scores.
        await GenoFlowProcess.RunOkAsync("project", "--model", dir["simd"], "--dataset", dir["ds"], "--out", dir["proj-simd"]);
        await GenoFlowProcess.RunOkAsync("project", "--model", dir["scalar"], "--dataset", dir["ds"], "--out", dir["proj-scalar"]);
        Assert.Equal(await File.ReadAllTextAsync(dir["proj-simd/scores.tsv"]), await File.ReadAllTextAsync(dir["proj-scalar/scores.tsv"]));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));
    }

    [Fact]
    public async Task Exact_pca_of_too_many_samples_is_refused_and_leaves_nothing()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "20001", "--variants", "30");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"]);
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["pca", dir["ds"], "-k", "2", "--method", "exact", "--out", dir["pca"]]);
        BadInputTests.AssertCleanFailure(result, "--method exact", "limited to 20,000 samples", "use randomized");
        Assert.False(Directory.Exists(dir["pca"]));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));
    }
}
