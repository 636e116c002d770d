using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// <c>genoflow watch</c> with real processes: releases arriving in a directory are appended and the pipeline runs for
/// each, once or on a real (seconds) cron schedule; an invalid release is logged and skipped; a watcher killed mid-run
/// is resumed by the next pass; two watchers of one dataset cannot both run.
/// </summary>
public sealed class WatchCommandTests : IClassFixture<WatchCommandTests.Batches>
{
    private const string Pipeline = """
        version: 1
        inputs:
          biobank:
            dataset: ukb
        stages:
          qc:
            kind: qc
            dataset: biobank
            maf: 0.01
          pca:
            kind: pca
            dataset: biobank
            keep: qc
            k: 3
            seed: 1
            warm-start: true
        """;

    private readonly Batches _batches;

    public WatchCommandTests(Batches batches) => _batches = batches;

    /// <summary>Three batches of one simulated biobank, made once.</summary>
    public sealed class Batches : SharedFiles
    {
        public override async Task InitializeAsync()
        {
            for (int batch = 0; batch < 3; batch++)
            {
                await GenoFlowProcess.RunOkAsync("simulate", "--out", Dir[$"b{batch}"], "--samples", batch == 0 ? "600" : "100", "--variants", "3000", "--seed", "6", "--batch", $"{batch}", "--chromosomes", "3");
            }
        }
    }

    [Fact]
    public async Task Once_appends_each_release_runs_the_pipeline_for_it_skips_an_invalid_one_and_does_nothing_the_second_time()
    {
        using var dir = Setup(["r1", "r2"]);
        Directory.CreateDirectory(dir["inbox/r1b-broken"]);
        File.WriteAllText(dir["inbox/r1b-broken/calls.vcf"], "1\t100\trs1\tA\tG\t.\tPASS\t.\tGT\t0/1\n");

        GenoFlowProcess.Result first = await Watch(dir, "--once");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("2 releases appended, 2 pipeline runs completed, 1 release inputs invalid", first.StdOut, StringComparison.Ordinal);
        string[] log = File.ReadAllLines(dir["runs/watch.log"]);
        Assert.Equal("release\tstart\tend\toutcome\tcomputed\tup_to_date\tdetail", log[0]);
        Assert.Equal(["r1\tdone", "r1b-broken\tinvalid", "r2\tdone"], log.Skip(1).Select(l => string.Join('\t', l.Split('\t')[0], l.Split('\t')[3])));
        Assert.Contains("calls.vcf, line 1, column 1: data line before the #CHROM header line", log[2], StringComparison.Ordinal);
        GenoFlowProcess.Result info = await GenoFlowProcess.RunOkAsync("info", dir["ukb"]);
        Assert.Matches(@"r1\s+1 \(import\)\s+600", info.StdOut);
        Assert.Matches(@"r2\s+2 \S+\s+700", info.StdOut);
        Assert.Contains("\"release\": \"r2\"", File.ReadAllText(dir["runs/r2/run.json"]), StringComparison.Ordinal);
        Assert.True(File.Exists(dir["runs/r1/pca/eigenvalues.tsv"]), "r1's run wrote its PCA");
        // r2's run directory starts as a copy of r1's: its PCA refits warm from r1's model.
        Assert.Single(first.StdOut.Split('\n'), l => l.Contains("warm-started", StringComparison.Ordinal));

        GenoFlowProcess.Result second = await Watch(dir, "--once");
        Assert.Contains("0 releases appended, 0 pipeline runs completed, 0 release inputs invalid", second.StdOut, StringComparison.Ordinal);
        Assert.Equal(log.Length, File.ReadAllLines(dir["runs/watch.log"]).Length);
    }

    [Fact]
    public async Task A_watcher_killed_mid_run_is_resumed_by_the_next_pass_and_the_release_is_appended_once()
    {
        using var dir = Setup(["r1"]);
        using (Process watch = GenoFlowProcess.Start(WatchArgs(dir, "--once")))
        {
            // QC's files are published before run.json records the step done: a kill between the two rightly
            // recomputes QC, so wait for the record, not the files.
            await Until(() => RunCommandTests.StateIs(dir["runs/r1"], "qc", "done"), watch, "r1's QC to be recorded done");
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
        Assert.False(File.Exists(dir["runs/r1/pca/eigenvalues.tsv"]), "the watcher was killed before its PCA finished; make the cohort larger");

        GenoFlowProcess.Result resumed = await Watch(dir, "--once");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("0 releases appended, 1 pipeline runs completed", resumed.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"qc\s.*up to date", resumed.StdOut);
        Assert.True(File.Exists(dir["runs/r1/pca/eigenvalues.tsv"]));
        Assert.Single((await GenoFlowProcess.RunOkAsync("releases", "list", dir["ukb"])).StdOut.Split('\n'), l => l.TrimStart().StartsWith("r1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_scheduled_watcher_picks_up_a_release_that_arrives_later_and_a_second_watcher_is_refused()
    {
        using var dir = Setup(["r1"]);
        using Process watch = GenoFlowProcess.Start(WatchArgs(dir, "--schedule", "*/2 * * * * *"));
        try
        {
            await Until(() => LogHas(dir, "r1\t"), watch, "the first scheduled pass to process r1");

            GenoFlowProcess.Result second = await Watch(dir, "--once");
            Assert.Equal(1, second.ExitCode);
            Assert.Contains("is being watched by process", second.StdErr, StringComparison.Ordinal);

            CopyBatch(2, dir["inbox/r2"]);
            await Until(() => LogHas(dir, "r2\t"), watch, "a later scheduled pass to process r2, which arrived after r1");
            Assert.Contains("\tdone\t", File.ReadAllLines(dir["runs/watch.log"]).Single(l => l.StartsWith("r2\t", StringComparison.Ordinal)), StringComparison.Ordinal);
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("--once", "--schedule", "give exactly one of --schedule")]
    [InlineData("--schedule", "61 * * * *", "--schedule '61 * * * *'")]
    public async Task Bad_watch_options_fail_with_one_clear_line(string flag, string value, string expected)
    {
        using var dir = Setup([]);
        var args = WatchArgs(dir, flag).ToList();
        args.Add(value == "--schedule" ? "--schedule" : value);
        if (value == "--schedule")
        {
            args.Add("0 3 * * *");
        }
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["ukb"]), "a refused watcher creates nothing");
    }

    private TempDirectory Setup(string[] releases)
    {
        var dir = new TempDirectory();
        Directory.CreateDirectory(dir["inbox"]);
        File.WriteAllText(dir["pipeline.yaml"], Pipeline);
        for (int i = 0; i < releases.Length; i++)
        {
            CopyBatch(i, dir[$"inbox/{releases[i]}"]);
        }
        return dir;
    }

    /// <summary>Copies batch <paramref name="batch"/>'s fileset in, the .bed last so a watcher never sees half of it.</summary>
    private void CopyBatch(int batch, string target)
    {
        string staging = target + ".incoming";
        Directory.CreateDirectory(Path.Join(Path.GetDirectoryName(target), "." + Path.GetFileName(staging)));
        foreach (string extension in new[] { ".fam", ".bim", ".bed" })
        {
            File.Copy(_batches.Dir[$"b{batch}/cohort{extension}"], Path.Join(Path.GetDirectoryName(target), "." + Path.GetFileName(staging), "cohort" + extension));
        }
        Directory.Move(Path.Join(Path.GetDirectoryName(target), "." + Path.GetFileName(staging)), target);
    }

    private static string[] WatchArgs(TempDirectory dir, params string[] extra) =>
        ["watch", "--releases", dir["inbox"], "--dataset", dir["ukb"], "--pipeline", dir["pipeline.yaml"], "--run-root", dir["runs"], .. extra];

    private static Task<GenoFlowProcess.Result> Watch(TempDirectory dir, params string[] extra) => GenoFlowProcess.RunAsync(WatchArgs(dir, extra));

    private static bool LogHas(TempDirectory dir, string prefix) =>
        File.Exists(dir["runs/watch.log"]) && File.ReadAllLines(dir["runs/watch.log"]).Any(l => l.StartsWith(prefix, StringComparison.Ordinal));

    private static async Task Until(Func<bool> condition, Process watch, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(watch.HasExited, $"the watcher exited ({(watch.HasExited ? watch.ExitCode : 0)}) while waiting for {what}: {(watch.HasExited ? await watch.StandardError.ReadToEndAsync() : "")}");
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
