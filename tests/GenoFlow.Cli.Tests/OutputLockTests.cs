using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>One writer per output directory, between real processes: the second fails at once naming the first; a killed writer's lock is taken over.</summary>
public sealed class OutputLockTests
{
    [Fact]
    public async Task A_second_writer_fails_at_once_naming_the_first_and_a_killed_writers_lock_is_taken_over()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "500", "--variants", "6000", "--seed", "3");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "100", "--samples-per-tile", "128");
        string output = dir["out"];
        string lockFile = Path.Join(dir.Path, ".out.genoflow-lock");

        // Held to a tolerance it cannot reach, the PCA holds the directory for as long as the test needs.
        using Process first = GenoFlowProcess.Start(["pca", dir["ds"], "-k", "3", "--tolerance", "1e-300", "--max-iterations", "200", "--out", output]);
        _ = first.StandardOutput.ReadToEndAsync();
        _ = first.StandardError.ReadToEndAsync();
        await Conditions.UntilAsync(() => File.Exists(lockFile) && new FileInfo(lockFile).Length > 0, TimeSpan.FromMinutes(2), $"{lockFile} to be taken");
        var clock = Stopwatch.StartNew();
        GenoFlowProcess.Result second = await GenoFlowProcess.RunAsync(["qc", dir["ds"], "--out", output]);
        TimeSpan refusal = clock.Elapsed;
        Assert.False(first.HasExited, "the first writer finished before the second tried; make the job longer");
        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
        GenoFlowProcess.Result third = await GenoFlowProcess.RunOkAsync("qc", dir["ds"], "--out", output);

        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"genoflow: {output} is being written by process {first.Id} on host {Environment.MachineName} since ", second.StdErr, StringComparison.Ordinal);
        Assert.True(refusal < TimeSpan.FromSeconds(30), $"the second writer took {refusal} to be refused");
        Assert.True(File.Exists(Path.Join(output, "variant_qc.tsv")), third.ToString());
        Assert.False(File.Exists(lockFile), "the lock file stays only while a writer holds it");
    }
}
