namespace GenoFlow.Cli.Tests;

public class PipelineTests
{
    [Fact]
    public async Task Pipeline_simulates_imports_and_summarises()
    {
        using var dir = new TempDirectory();
        GenoFlowProcess.Result result = await GenoFlowProcess.RunOkAsync("pipeline", "--workdir", dir.Path, "--samples", "500", "--variants", "3000");

        Assert.Contains("genotypes: 1,500,000 (500 samples x 3,000 variants)", result.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(dir["inputs/cohort/dataset/manifest.json"]));
        Assert.Contains("files verified", (await GenoFlowProcess.RunOkAsync("info", dir["inputs/cohort/dataset"])).StdOut, StringComparison.Ordinal);
        Assert.Contains("== kmeans (kmeans)", result.StdOut, StringComparison.Ordinal);
        Assert.Equal("cluster\tPC1\tPC2\tPC3\tPC4\tPC5\tPC6\tPC7\tPC8\tPC9\tPC10", (await File.ReadAllLinesAsync(dir["kmeans/centroids.tsv"]))[0]);
        Assert.Equal(File.ReadAllLines(dir["pca/scores.tsv"]).Length, File.ReadAllLines(dir["kmeans/assignments.tsv"]).Length);
        foreach (string model in new[] { "train-linear", "train-logistic" })
        {
            Assert.Contains("\"test\"", File.ReadAllText(dir[$"{model}/metrics.json"]), StringComparison.Ordinal);
        }
        // The second cohort: projected onto the PCA, scored by both models, with metrics from its own phenotypes.
        Assert.Equal(126, File.ReadAllLines(dir["project/scores.tsv"]).Length);
        Assert.Equal(126, File.ReadAllLines(dir["predict-logistic/predictions.tsv"]).Length);
        Assert.True(File.Exists(dir["predict-linear/metrics.json"]));
    }

    [Fact]
    public async Task Summary_is_the_same_without_hardware_intrinsics()
    {
        // Two work directories: in one, the second run would find every step up to date and compute nothing.
        using var simdDir = new TempDirectory();
        using var scalarDir = new TempDirectory();
        string[] Args(TempDirectory dir) => ["pipeline", "--workdir", dir.Path, "--samples", "777", "--variants", "2000"];
        GenoFlowProcess.Result simd = await GenoFlowProcess.RunOkAsync(Args(simdDir));
        GenoFlowProcess.Result scalar = await GenoFlowProcess.RunAsync(Args(scalarDir), new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" });
        Assert.Equal(0, scalar.ExitCode);

        Assert.Equal(SummaryLines(simd.StdOut), SummaryLines(scalar.StdOut));
        Assert.NotEmpty(SummaryLines(simd.StdOut));
    }

    /// <summary>The summary's numbers, without the timings and node addresses that differ between runs.</summary>
    private static string[] SummaryLines(string stdout) =>
        stdout.Split('\n').SkipWhile(l => !l.StartsWith("genotypes:", StringComparison.Ordinal)).TakeWhile(l => !l.StartsWith("pipeline finished", StringComparison.Ordinal))
            .Where(l => !l.Contains(" per node: ", StringComparison.Ordinal)).ToArray();
}
