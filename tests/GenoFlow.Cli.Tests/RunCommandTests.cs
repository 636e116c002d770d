using System.Diagnostics;
using System.Text.Json;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// <c>genoflow run</c> end to end with real processes: the example pipeline, up-to-date stages on a rerun, a changed
/// parameter recomputing only what depends on it, <c>--force</c>, a bad file refused before anything runs, and a run
/// killed with SIGKILL mid-PCA that resumes without recomputing QC or LD pruning and ends with the same bytes.
/// </summary>
public class RunCommandTests
{
    /// <summary>examples/biobank-pipeline.yaml, found from the test assembly up to the repository root.</summary>
    internal static string ExamplePipeline()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Join(dir.FullName, "examples", "biobank-pipeline.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("examples/biobank-pipeline.yaml not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task The_example_pipeline_runs_and_a_second_run_recomputes_nothing()
    {
        using var dir = new TempDirectory();
        string pipeline = ExamplePipeline();
        GenoFlowProcess.Result first = await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"]);
        Dictionary<string, string> states = States(dir["run"]);
        Assert.All(states.Where(s => s.Key is not ("cohort" or "batch2")), s => Assert.Equal("done", s.Value));
        foreach (string file in new[] { "qc/variant_qc.tsv", "ld/prune.in", "pca/scores.tsv", "clusters/assignments.tsv", "height/model.json", "disease/metrics.json",
                     "batch2-pcs/scores.tsv", "batch2-height/predictions.tsv" })
        {
            Assert.True(File.Exists(Path.Join(dir["run"], file)), $"{file} missing after the run:\n{first}");
        }
        string before = Snapshot(dir["run"]);

        GenoFlowProcess.Result second = await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"]);

        Assert.All(States(dir["run"]), s => Assert.Equal("up-to-date", s.Value));
        Assert.DoesNotContain("per node", second.StdOut, StringComparison.Ordinal);
        Assert.Contains("0 steps computed", second.StdOut, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(dir["run"]));
    }

    [Fact]
    public async Task A_changed_parameter_recomputes_its_stage_and_what_depends_on_it_only_and_force_recomputes_downstream()
    {
        using var dir = new TempDirectory();
        string pipeline = dir["p.yaml"];
        File.Copy(ExamplePipeline(), pipeline);
        await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"]);

        File.WriteAllText(pipeline, File.ReadAllText(pipeline).Replace("    k: 5\n", "    k: 4\n", StringComparison.Ordinal));
        await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"]);
        Dictionary<string, string> states = States(dir["run"]);
        foreach (string upstream in new[] { "qc", "ld" })
        {
            Assert.Equal("up-to-date", states[upstream]);
        }
        foreach (string downstream in new[] { "pca", "clusters", "height", "disease", "batch2-pcs", "batch2-height" })
        {
            Assert.Equal("done", states[downstream]);
        }
        Assert.Equal(5, File.ReadAllLines(dir["run/pca/eigenvalues.tsv"]).Length);

        await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"], "--force", "ld");
        states = States(dir["run"]);
        Assert.Equal("up-to-date", states["qc"]);
        Assert.All(new[] { "ld", "pca", "clusters", "height", "disease", "batch2-pcs", "batch2-height" }, s => Assert.Equal("done", states[s]));
    }

    [Theory]
    [InlineData("    k: 5\n", "    k: five\n", 8, "integer")]
    [InlineData("    maf: 0.01\n", "    maf: 0.7\n", 10, "maf must be between 0 and 0.5")]
    [InlineData("    keep: qc\n    variants: ld\n    k: 5\n", "    keep: ld\n    variants: ld\n    k: 5\n", 11, "qc stage")]
    [InlineData("  clusters:\n", "  report:\n", 3, "the name 'report' is taken by the run's report step")]
    public async Task A_bad_pipeline_file_is_refused_with_its_line_and_column_before_anything_runs(string from, string to, int column, string expected)
    {
        using var dir = new TempDirectory();
        string pipeline = dir["bad.yaml"];
        string text = File.ReadAllText(ExamplePipeline());
        Assert.Contains(from, text, StringComparison.Ordinal);
        string changed = text.Replace(from, to, StringComparison.Ordinal);
        File.WriteAllText(pipeline, changed);
        // The error is on the first line of the replacement.
        int line = changed[..changed.IndexOf(to, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["run", pipeline, "--run-dir", dir["run"]]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{pipeline}, line {line}, column {column}: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["run"]), "nothing may run, or be created, for an invalid pipeline file");
    }

    [Fact]
    public async Task A_run_killed_mid_pca_resumes_without_recomputing_qc_or_ld_and_gives_the_bytes_of_an_uninterrupted_run()
    {
        using var dir = new TempDirectory();
        string pipeline = dir["slow.yaml"];
        // A PCA of a few seconds: enough iterations at a tolerance it cannot reach, so the kill lands inside it. Not more:
        // each block Krylov iteration costs more than the last (20 took 9 s on a loaded 2-core machine, 60 over a minute).
        File.WriteAllText(pipeline, File.ReadAllText(ExamplePipeline())
            .Replace("samples: 600, variants: 3000", "samples: 1500, variants: 12000", StringComparison.Ordinal)
            .Replace("samples: 200, variants: 3000", "samples: 200, variants: 12000", StringComparison.Ordinal)
            .Replace("    k: 5\n", "    k: 5\n    tolerance: 1e-300\n    max-iterations: 20\n", StringComparison.Ordinal));
        await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["reference"]);

        using (Process run = GenoFlowProcess.Start(["run", pipeline, "--run-dir", dir["run"]]))
        {
            var deadline = Stopwatch.StartNew();
            while (!StateIs(dir["run"], "pca", "running"))
            {
                Assert.False(run.HasExited, $"the run ended (exit {(run.HasExited ? run.ExitCode : 0)}) before PCA started");
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "PCA never started");
                await Task.Delay(20);
            }
            run.Kill(entireProcessTree: true);
            await run.WaitForExitAsync();
        }
        Assert.Equal("running", States(dir["run"])["pca"]);
        Assert.False(File.Exists(dir["run/pca/model.json"]), "a PCA killed mid-way must leave no published output");

        GenoFlowProcess.Result resumed = await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"]);

        Dictionary<string, string> states = States(dir["run"]);
        Assert.Equal("up-to-date", states["qc"]);
        Assert.Equal("up-to-date", states["ld"]);
        Assert.Equal("done", states["pca"]);
        Assert.Contains("== qc (qc): up to date", resumed.StdOut, StringComparison.Ordinal);
        Assert.Contains("== ld (ld-prune): up to date", resumed.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("== qc (qc)\n", resumed.StdOut, StringComparison.Ordinal);
        Assert.Equal(Snapshot(dir["reference"], exceptInputs: true), Snapshot(dir["run"], exceptInputs: true, (dir["run"], dir["reference"])));
        Assert.DoesNotContain(Directory.EnumerateDirectories(dir.Path, ".*", SearchOption.AllDirectories), d => !d.EndsWith(".state", StringComparison.Ordinal));
    }

    internal static Dictionary<string, string> States(string runDirectory)
    {
        using JsonDocument record = JsonDocument.Parse(File.ReadAllBytes(Path.Join(runDirectory, "run.json")));
        return record.RootElement.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("state").GetString()!);
    }

    internal static bool StateIs(string runDirectory, string step, string state)
    {
        try
        {
            return File.Exists(Path.Join(runDirectory, "run.json")) && States(runDirectory).GetValueOrDefault(step) == state;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Every output file of a run directory (run.json and the report aside: both record times and durations): its name
    /// and its bytes, or its text for text files with <paramref name="rename"/> applied (model.json and qc_filter.json
    /// name the run directory they were made in).
    /// </summary>
    internal static string Snapshot(string runDirectory, bool exceptInputs = false, (string From, string To)? rename = null)
    {
        var lines = new List<string>();
        foreach (string file in Directory.GetFiles(runDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string name = Path.GetRelativePath(runDirectory, file);
            if (name == "run.json" || name.StartsWith("report", StringComparison.Ordinal) || (exceptInputs && name.StartsWith("inputs", StringComparison.Ordinal)))
            {
                continue;
            }
            string content = Path.GetExtension(file) is ".json" or ".tsv" or ".in" or ".out" or ".keep"
                ? File.ReadAllText(file)
                : Convert.ToHexString(File.ReadAllBytes(file));
            lines.Add(name + "\n" + (rename is var (from, to) ? content.Replace(from, to, StringComparison.Ordinal) : content));
        }
        return string.Join("\n", lines);
    }
}
