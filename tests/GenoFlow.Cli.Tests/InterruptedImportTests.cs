using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>kill -9 in the middle of an import never leaves a half dataset that reads as valid.</summary>
public class InterruptedImportTests : IClassFixture<InterruptedImportTests.Cohort>
{
    private readonly Cohort _cohort;

    public InterruptedImportTests(Cohort cohort) => _cohort = cohort;

    /// <summary>The .bed fileset both tests import, made once: imports only read it.</summary>
    public sealed class Cohort : SharedFiles
    {
        internal string Bed => Dir["sim/cohort"];

        public override Task InitializeAsync() => GenoFlowProcess.RunOkAsync("simulate", "--out", Dir["sim"], "--samples", "2000", "--variants", "40000", "--seed", "9");
    }

    [Fact]
    public async Task Killing_a_first_import_leaves_no_dataset()
    {
        using var dir = new TempDirectory();

        await ImportAndKillMidwayAsync(dir);

        GenoFlowProcess.Result info = await GenoFlowProcess.RunAsync(["info", dir["ds"]]);
        Assert.NotEqual(0, info.ExitCode);
        Assert.False(File.Exists(dir["ds/manifest.json"]), "an interrupted first import must not leave a manifest");
    }

    [Fact]
    public async Task Killing_a_replacing_import_leaves_the_previous_dataset_intact()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("import", "--bed", _cohort.Bed, "--out", dir["ds"], "--release", "previous", "--variants-per-tile", "5000");

        await ImportAndKillMidwayAsync(dir);

        GenoFlowProcess.Result info = await GenoFlowProcess.RunOkAsync("info", dir["ds"]);
        Assert.Contains("previous", info.StdOut, StringComparison.Ordinal);
        Assert.Contains("files verified", info.StdOut, StringComparison.Ordinal);

        // The next import cleans up what the killed one left and completes.
        await GenoFlowProcess.RunOkAsync("import", "--bed", _cohort.Bed, "--out", dir["ds"], "--release", "next");
        Assert.Contains("next", (await GenoFlowProcess.RunOkAsync("info", dir["ds"])).StdOut, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path, "*partial*", SearchOption.AllDirectories));
    }

    /// <summary>Starts an import with tiny tiles (thousands of files, so it takes a while) and kills it once tiles are being written.</summary>
    private async Task ImportAndKillMidwayAsync(TempDirectory dir)
    {
        using Process import = GenoFlowProcess.Start(["import", "--bed", _cohort.Bed, "--out", dir["ds"], "--release", "interrupted", "--variants-per-tile", "16", "--samples-per-tile", "256"]);
        var deadline = Stopwatch.StartNew();
        while (!TilesBeingWritten(dir.Path))
        {
            Assert.False(import.HasExited, $"import ended (exit {(import.HasExited ? import.ExitCode : 0)}) before it could be interrupted; make the input larger");
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), "import never started writing tiles");
            await Task.Delay(20);
        }
        import.Kill(entireProcessTree: true);
        await import.WaitForExitAsync();
        Assert.False(File.ReadAllText(Directory.EnumerateFiles(dir.Path, "manifest.json", SearchOption.AllDirectories).FirstOrDefault() ?? "/dev/null").Contains("interrupted", StringComparison.Ordinal),
            "the killed import must not have published its manifest");
    }

    private static bool TilesBeingWritten(string root) =>
        Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories).Count(f => f.Contains("partial", StringComparison.Ordinal)) > 10;
}
