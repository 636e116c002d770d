using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// <c>import --append-to</c>, <c>DATASET@LABEL</c> and <c>releases</c> through the real executable: an appended batch
/// gives the bytes PLINK 1.9 gives when merging the two filesets, a kill -9 mid-append leaves the previous release
/// whole, and a reader of the previous release is not disturbed while a release is appended.
/// </summary>
public sealed class ReleaseCommandTests : IClassFixture<ReleaseCommandTests.Batches>
{
    private readonly Batches _batches;

    public ReleaseCommandTests(Batches batches) => _batches = batches;

    /// <summary>Three batches of one simulated biobank (same variants, new participants), made once for all tests.</summary>
    public sealed class Batches : SharedFiles
    {
        public override async Task InitializeAsync()
        {
            await GenoFlowProcess.RunOkAsync("simulate", "--out", Dir["b0"], "--samples", "1000", "--variants", "20000", "--seed", "4");
            await GenoFlowProcess.RunOkAsync("simulate", "--out", Dir["b1"], "--samples", "150", "--variants", "20000", "--seed", "4", "--batch", "1");
            await GenoFlowProcess.RunOkAsync("simulate", "--out", Dir["b2"], "--samples", "2000", "--variants", "20000", "--seed", "4", "--batch", "2");
        }
    }

    [Fact]
    public async Task An_appended_batch_exports_the_bytes_plink_gives_for_the_merged_filesets_and_R1_stays_readable()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("import", "--bed", _batches.Dir["b0/cohort"], "--out", dir["ds"], "--release", "R1", "--samples-per-tile", "256");
        GenoFlowProcess.Result append = await GenoFlowProcess.RunOkAsync("import", "--bed", _batches.Dir["b1/cohort"], "--append-to", dir["ds"], "--release", "R2");
        Assert.Contains("appended release R2", append.StdOut, StringComparison.Ordinal);
        Assert.Contains("added 150 samples, 0 variants", append.StdOut, StringComparison.Ordinal);

        await ExternalTool.RunAsync("plink1.9", "--bfile", _batches.Dir["b0/cohort"], "--bmerge", _batches.Dir["b1/cohort"], "--keep-allele-order",
            "--indiv-sort", "0", "--make-bed", "--out", dir["merged"]);
        await GenoFlowProcess.RunOkAsync("export", dir["ds"], "--bed", dir["appended"]);
        Assert.True(File.ReadAllBytes(dir["merged.bed"]).AsSpan().SequenceEqual(File.ReadAllBytes(dir["appended.bed"])), "appended dataset's .bed differs from plink1.9 --bmerge");
        Assert.Equal(File.ReadAllText(dir["merged.bim"]), File.ReadAllText(dir["appended.bim"]));

        // R1 opens by label and gives what the R1 fileset alone gives.
        await GenoFlowProcess.RunOkAsync("export", dir["ds"] + "@R1", "--bed", dir["r1"]);
        Assert.True(File.ReadAllBytes(_batches.Dir["b0/cohort.bed"]).AsSpan().SequenceEqual(File.ReadAllBytes(dir["r1.bed"])), "ds@R1 differs from the R1 fileset");

        GenoFlowProcess.Result info = await GenoFlowProcess.RunOkAsync("info", dir["ds"]);
        Assert.Matches(@"R1\s+1 \(import\)\s+1,000", info.StdOut);
        Assert.Matches(@"R2\s+2 \d{4}-\d\d-\d\dT[\d:]+Z\s+1,150", info.StdOut);
        Assert.Contains("DATASET@R1", info.StdOut, StringComparison.Ordinal);

        GenoFlowProcess.Result prune = await GenoFlowProcess.RunOkAsync("releases", "prune", dir["ds"], "--keep", "1");
        Assert.Contains("pruned releases R1", prune.StdOut, StringComparison.Ordinal);
        GenoFlowProcess.Result gone = await GenoFlowProcess.RunAsync(["info", dir["ds"] + "@R1"]);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("release 'R1' was pruned", gone.StdErr, StringComparison.Ordinal);
        Assert.Contains("(pruned)", (await GenoFlowProcess.RunOkAsync("releases", "list", dir["ds"])).StdOut, StringComparison.Ordinal);
        Assert.Contains("files verified", (await GenoFlowProcess.RunOkAsync("info", dir["ds"])).StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killing_an_append_leaves_the_previous_release_whole_and_a_reader_of_it_undisturbed()
    {
        using var dir = new TempDirectory();
        // Small tiles: the append writes thousands of tile files (313 regions x 16 sample blocks), so it runs long enough
        // to be caught mid-way. (16-variant tiles made R1 alone 10,000 files: a 9 s import, 1 s with these.)
        await GenoFlowProcess.RunOkAsync("import", "--bed", _batches.Dir["b0/cohort"], "--out", dir["ds"], "--release", "R1", "--variants-per-tile", "64", "--samples-per-tile", "128");

        using (Process append = GenoFlowProcess.Start(["import", "--bed", _batches.Dir["b2/cohort"], "--append-to", dir["ds"], "--release", "R2"]))
        {
            await WaitForStagedTilesAsync(append, dir["ds"]);
            // Frozen mid-write (as on a stalled disk), so the reader below certainly runs while R2 is half written.
            await SignalAsync(append, "STOP");
            // A reader of R1 while R2 is being written sees R1, whole: every checksum verifies, and it exports R1's bytes.
            Assert.Contains("files verified", (await GenoFlowProcess.RunOkAsync("info", dir["ds"])).StdOut, StringComparison.Ordinal);
            await GenoFlowProcess.RunOkAsync("export", dir["ds"], "--bed", dir["during"]);
            Assert.False(append.HasExited, "the stopped append exited");
            append.Kill(entireProcessTree: true);
            await append.WaitForExitAsync();
        }
        Assert.True(File.ReadAllBytes(_batches.Dir["b0/cohort.bed"]).AsSpan().SequenceEqual(File.ReadAllBytes(dir["during.bed"])), "the export made during the append differs from R1");
        GenoFlowProcess.Result info = await GenoFlowProcess.RunOkAsync("info", dir["ds"]);
        Assert.Contains("release:  R1", info.StdOut, StringComparison.Ordinal);
        Assert.Contains("files verified", info.StdOut, StringComparison.Ordinal);

        // The next append removes what the killed one left and completes.
        await GenoFlowProcess.RunOkAsync("import", "--bed", _batches.Dir["b1/cohort"], "--append-to", dir["ds"], "--release", "R2");
        Assert.Contains("release:  R2", (await GenoFlowProcess.RunOkAsync("info", dir["ds"])).StdOut, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path, "*partial*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("--append-to", "DS", "--out", "DS", "give exactly one of --out DATASET")]
    [InlineData("--append-to", "DS", "--release", "bad@label", "contains '@'")]
    [InlineData("--append-to", "DS", "--samples-per-tile", "8", "a release keeps its dataset's tile sizes")]
    [InlineData("--out", "DS", "--add-variants", "", "apply to --append-to only")]
    [InlineData("--append-to", "MISSING", "--release", "R2", "is not a GenoFlow dataset")]
    public async Task Bad_append_options_fail_with_one_clear_line_and_change_nothing(string flag1, string value1, string flag2, string value2, string expected)
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("import", "--bed", _batches.Dir["b0/cohort"], "--out", dir["ds"], "--release", "R1");
        var before = Directory.EnumerateFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order().ToList();
        string Resolve(string value) => value == "DS" ? dir["ds"] : value == "MISSING" ? dir["missing"] : value;
        var args = new List<string> { "import", "--bed", _batches.Dir["b1/cohort"], flag1, Resolve(value1), flag2 };
        if (value2.Length > 0)
        {
            args.Add(Resolve(value2));
        }
        if (!args.Contains("--release"))
        {
            args.AddRange(["--release", "R2"]);
        }
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order().ToList());
    }

    private static async Task SignalAsync(Process process, string signal)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits until the append is writing its release's tiles (its staged generation holds some).</summary>
    private static async Task WaitForStagedTilesAsync(Process append, string dataset)
    {
        string staged = Path.Join(dataset, "g2.partial");
        var deadline = Stopwatch.StartNew();
        int polls = 0, most = 0;
        while (true)
        {
            int tiles = Directory.Exists(staged) ? Directory.EnumerateFiles(staged, "*.parquet", SearchOption.AllDirectories).Count() : 0;
            most = Math.Max(most, tiles);
            if (tiles >= 20)
            {
                return;
            }
            polls++;
            Assert.False(append.HasExited, $"the append ended (exit {(append.HasExited ? append.ExitCode : 0)}) after {deadline.Elapsed} and {polls} polls (at most {most} staged tiles seen) before it could be interrupted; make the release larger");
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "the append never started writing tiles");
            await Task.Delay(20);
        }
    }
}
