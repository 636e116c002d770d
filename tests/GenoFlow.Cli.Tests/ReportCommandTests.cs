using System.Text.Json;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// The run report end to end: a real pipeline run, its report opened in headless Chromium (no console errors, no
/// resource loaded, every section the run calls for, every plot laid out with the marks the data call for), a
/// screenshot saved; a run of a release that follows another compares them; <c>genoflow report</c> on a bad run
/// directory fails naming the file and writes nothing.
/// Screenshots go to $GENOFLOW_REPORT_SCREENSHOTS (default: report-screenshots/ beside the test assembly).
/// </summary>
public class ReportCommandTests
{
    private static string ScreenshotDirectory => Environment.GetEnvironmentVariable("GENOFLOW_REPORT_SCREENSHOTS") is { Length: > 0 } d
        ? d
        : Path.Join(AppContext.BaseDirectory, "report-screenshots");

    [Fact]
    public async Task The_quick_start_pipeline_writes_a_report_that_renders_every_section_and_plot_offline()
    {
        using var dir = new TempDirectory();
        string run = dir["work"];
        await GenoFlowProcess.RunOkAsync("pipeline", "--workdir", run, "--samples", "600", "--variants", "3000");
        string report = Path.Join(run, "report", "report.html");
        Assert.True(File.Exists(report), "the pipeline's last step writes report/report.html");

        using ReportBrowser browser = ReportBrowser.Open(report);
        Assert.Equal(["run", "qc", "pca", "kmeans", "model", "model"], browser.Sections);
        AssertRendersOffline(browser);
        IReadOnlyList<ReportBrowser.Figure> figures = browser.Figures();
        AssertEveryFigureDrawsItsMarks(figures);

        int samples = DataRows(Path.Join(run, "pca", "scores.tsv"));
        int projected = DataRows(Path.Join(run, "project", "scores.tsv"));
        Assert.Equal(600, samples);
        Assert.Equal(10, Figure(figures, "pca-scree-pca").RecordedMarks);
        // By k-means cluster and by the cohort's population column, PC1–PC2 and PC3–PC4, each with the projected cohort as squares.
        ReportBrowser.Figure[] scatters = [.. figures.Where(f => f.Name.StartsWith("pca-PC", StringComparison.Ordinal))];
        Assert.Equal(4, scatters.Length);
        Assert.All(scatters, f => Assert.Equal((samples, projected), (f.Points, f.Rects)));
        Assert.Equal(3, Figure(figures, "kmeans-sizes-kmeans").Rects);
        Assert.Equal(DataRows(Path.Join(run, "qc", "variant_qc.tsv")), Figure(figures, "qc-hwe-qq").Points);
        Assert.Equal(2, Figure(figures, "model-roc-train-logistic").RecordedMarks);
        Assert.Equal(DataRows(Path.Join(run, "train-linear", "predictions.tsv")), Figure(figures, "model-predicted-observed-train-linear").Points);
        using (JsonDocument model = JsonDocument.Parse(File.ReadAllBytes(Path.Join(run, "train-logistic", "model.json"))))
        {
            Assert.Equal(model.RootElement.GetProperty("variants").GetArrayLength(), Figure(figures, "model-weights-train-logistic").Points);
        }
        Assert.Equal(["cohort", "simulate", "done", "simulated", "600", "3,000"], browser.Table("inputs")[0][..6]);
        Assert.Contains(browser.Table("metrics-train-logistic"), row => row[0].StartsWith("predict 'predict-logistic'", StringComparison.Ordinal));
        SaveScreenshot(browser, "pca-pca", "quick-start-pca.png");
    }

    [Fact]
    public async Task A_run_with_a_k_range_and_a_cross_validated_logistic_model_reports_inertia_silhouette_and_model_curves()
    {
        using var dir = new TempDirectory();
        string pipeline = dir["krange.yaml"];
        File.WriteAllText(pipeline, """
            version: 1
            inputs:
              cohort:
                simulate: { samples: 500, variants: 2000, populations: 3, seed: 3, chromosomes: 2 }
            stages:
              qc:
                kind: qc
                dataset: cohort
                maf: 0.01
              pca:
                kind: pca
                dataset: cohort
                keep: qc
                k: 4
              clusters:
                kind: kmeans
                scores: pca
                k-range: 2..5
                seed: 1
              disease:
                kind: train
                dataset: cohort
                phenotypes: cohort
                target: trait_b
                model: logistic
                covariates: [age, sex]
                pcs: pca
                keep: qc
                test-fraction: 0.25
                folds: 3
                rows-per-shard: 100
                seed: 1
            """);
        await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"]);
        string report = dir["again.html"];
        GenoFlowProcess.Result result = await GenoFlowProcess.RunOkAsync("report", dir["run"], "--out", report);
        Assert.Contains("report of 5 sections", result.StdOut, StringComparison.Ordinal);

        using ReportBrowser browser = ReportBrowser.Open(report);
        Assert.Equal(["run", "qc", "pca", "kmeans", "model"], browser.Sections);
        AssertRendersOffline(browser);
        IReadOnlyList<ReportBrowser.Figure> figures = browser.Figures();
        AssertEveryFigureDrawsItsMarks(figures);
        Assert.Equal(4, Figure(figures, "kmeans-inertia-clusters").Points);
        Assert.Equal(4, Figure(figures, "kmeans-silhouette-clusters").Points);
        Assert.Equal(4, browser.Table("k-range").Count);
        using (JsonDocument model = JsonDocument.Parse(File.ReadAllBytes(dir["run/disease/model.json"])))
        {
            int grid = model.RootElement.GetProperty("cross_validation").GetProperty("grid").GetArrayLength();
            Assert.Equal(grid, Figure(figures, "model-cv-disease").Points);
        }
        Assert.Equal(2, Figure(figures, "model-roc-disease").RecordedMarks);
        Assert.Equal(2, Figure(figures, "model-pr-disease").RecordedMarks);
        string[][] confusion = [.. browser.Table("confusion-disease-test")];
        Assert.Equal(DataRows(dir["run/disease/predictions.tsv"], "test"), confusion.Sum(row => row[1..].Sum(c => int.Parse(c.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture))));
        SaveScreenshot(browser, "model-disease", "k-range-model.png");
    }

    [Fact]
    public async Task The_run_of_a_second_release_compares_it_with_the_first_release_and_its_run()
    {
        using var dir = new TempDirectory();
        for (int batch = 0; batch < 2; batch++)
        {
            await GenoFlowProcess.RunOkAsync("simulate", "--out", dir[$"inbox/r{batch + 1}"], "--samples", batch == 0 ? "400" : "100", "--variants", "2000", "--seed", "6", "--batch", $"{batch}");
            foreach (string extra in new[] { "phenotypes.tsv", "causal_variants.tsv" })
            {
                File.Move(dir[$"inbox/r{batch + 1}/{extra}"], dir[$"b{batch}-{extra}"]);
            }
        }
        File.WriteAllText(dir["pipeline.yaml"], """
            version: 1
            inputs:
              biobank: { dataset: ukb }
            stages:
              qc: { kind: qc, dataset: biobank, maf: 0.01 }
              pca: { kind: pca, dataset: biobank, keep: qc, k: 3, seed: 1 }
            """);
        GenoFlowProcess.Result watch = await GenoFlowProcess.RunAsync(["watch", "--releases", dir["inbox"], "--dataset", dir["ukb"], "--pipeline", dir["pipeline.yaml"], "--run-root", dir["runs"], "--once"]);
        Assert.True(watch.ExitCode == 0, watch.ToString());

        Assert.DoesNotContain("data-section=\"release\"", File.ReadAllText(dir["runs/r1/report/report.html"]), StringComparison.Ordinal);
        using ReportBrowser browser = ReportBrowser.Open(dir["runs/r2/report/report.html"]);
        Assert.Equal(["run", "qc", "pca", "release"], browser.Sections);
        AssertRendersOffline(browser);
        IReadOnlyList<ReportBrowser.Figure> figures = browser.Figures();
        AssertEveryFigureDrawsItsMarks(figures);
        Assert.Equal(6, Figure(figures, "release-pca-pca").Points);
        Assert.Equal([["r1", "400", "2,000", "400", "2,000"], ["r2", "500", "2,000", "100", "0"]], browser.Table("release-history").Select(r => r[..5]));
        string[] samples = browser.Table("qc-drift-qc").Single(r => r[0] == "samples");
        Assert.Equal(["samples", "400", "500", "+100"], samples);
    }

    [Fact]
    public async Task A_run_directory_without_run_json_or_a_damaged_one_fails_naming_the_file_and_writes_nothing_and_a_missing_stage_output_is_noted_in_its_section()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("pipeline", "--workdir", dir["work"], "--samples", "300", "--variants", "1000");
        string output = dir["out.html"];

        Directory.CreateDirectory(dir["empty"]);
        await AssertFailsNaming(["report", dir["empty"], "--out", output], Path.Join(dir["empty"], "run.json"), "missing");

        string eigenvalues = dir["work/pca/eigenvalues.tsv"];
        File.Move(eigenvalues, eigenvalues + ".moved");
        GenoFlowProcess.Result partial = await GenoFlowProcess.RunOkAsync("report", dir["work"], "--out", output);
        Assert.Contains("pca:pca (output missing)", partial.StdOut, StringComparison.Ordinal);
        string html = File.ReadAllText(output);
        Assert.Contains("(output missing)", html, StringComparison.Ordinal);
        Assert.Contains(eigenvalues, html, StringComparison.Ordinal);
        Assert.Contains("data-section=\"qc\"", html, StringComparison.Ordinal);
        File.Move(eigenvalues + ".moved", eigenvalues);
        File.Delete(output);

        string record = dir["work/run.json"];
        File.WriteAllText(output, "an older report");
        File.WriteAllText(record, File.ReadAllText(record)[..200]);
        await AssertFailsNaming(["report", dir["work"], "--out", output], record, "not a valid run record");
        Assert.Equal("an older report", File.ReadAllText(output));
        Assert.Equal(["out.html"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    private static async Task AssertFailsNaming(string[] args, string file, string problem)
    {
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(args);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"genoflow: {file}", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(problem, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.StdErr, StringComparison.Ordinal);
    }

    private static void AssertRendersOffline(ReportBrowser browser)
    {
        Assert.Empty(browser.ConsoleErrors());
        Assert.Empty(browser.LoadedResources());
        Assert.Equal(0, browser.ExternalReferences());
    }

    /// <summary>
    /// Every plot is laid out at a non-zero size and its SVG holds the marks the page says it drew: a point is an
    /// ellipse (a projected sample a square rect), a bar a rect; a curve is a path, beside the axes' own reference lines.
    /// </summary>
    private static void AssertEveryFigureDrawsItsMarks(IReadOnlyList<ReportBrowser.Figure> figures)
    {
        Assert.NotEmpty(figures);
        foreach (ReportBrowser.Figure f in figures)
        {
            Assert.True(f.Width > 100 && f.Height > 100, $"{f.Name} is laid out at {f.Width} x {f.Height}");
            Assert.True(f.RecordedMarks > 0, $"{f.Name} draws nothing");
            int drawn = f.Name.Contains("-roc-", StringComparison.Ordinal) || f.Name.Contains("-pr-", StringComparison.Ordinal) ? f.Paths : f.Points + f.Rects;
            Assert.True(f.Name.Contains("-roc-", StringComparison.Ordinal) || f.Name.Contains("-pr-", StringComparison.Ordinal) ? drawn >= f.RecordedMarks : drawn == f.RecordedMarks,
                $"{f.Name}: the page records {f.RecordedMarks} marks, its SVG has {f.Points} points, {f.Rects} rects, {f.Paths} paths");
        }
    }

    private static ReportBrowser.Figure Figure(IReadOnlyList<ReportBrowser.Figure> figures, string name) =>
        figures.SingleOrDefault(f => f.Name == name) ?? throw new Xunit.Sdk.XunitException($"no figure '{name}' among {string.Join(", ", figures.Select(f => f.Name))}");

    /// <summary>Data rows of a tab-separated table (header excluded), or those whose last field is <paramref name="split"/>.</summary>
    private static int DataRows(string path, string? split = null) =>
        File.ReadLines(path).Skip(1).Count(l => l.Length > 0 && (split is null || l.EndsWith("\t" + split, StringComparison.Ordinal)));

    private static void SaveScreenshot(ReportBrowser browser, string elementId, string name)
    {
        byte[] png = browser.Screenshot(elementId);
        Assert.True(png.Length > 10_000 && png.AsSpan(0, 4).SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]), $"the screenshot of #{elementId} is not a PNG of a drawn page ({png.Length} bytes)");
        Directory.CreateDirectory(ScreenshotDirectory);
        File.WriteAllBytes(Path.Join(ScreenshotDirectory, name), png);
    }
}
