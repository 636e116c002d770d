using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>Ctrl-C (SIGINT) and SIGTERM on a running job or writing command: exit 130, one line, no output.</summary>
public sealed class CancelledJobTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_mid_job_exits_130_and_leaves_no_output(string signal)
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "2000", "--variants", "40000", "--seed", "3");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "100", "--samples-per-tile", "500");

        // A PCA held to a tolerance it cannot reach runs for many seconds on any machine, so the signal lands mid-job.
        await AssertInterruptedCleanly(["pca", dir["ds"], "-k", "5", "--tolerance", "1e-300", "--max-iterations", "200", "--out", dir["qc"]], "pca: ", signal, dir["qc"]);
    }

    /// <summary>A command that writes files without a job: the directory it created goes too.</summary>
    [Fact]
    public async Task A_signal_mid_simulation_exits_130_and_leaves_no_output()
    {
        using var dir = new TempDirectory();
        await AssertInterruptedCleanly(["simulate", "--out", dir["sim"], "--samples", "2000", "--variants", "60000", "--format", "vcf"], "simulate: ", "TERM", dir["sim"]);
    }

    [Fact]
    public async Task A_signal_mid_export_exits_130_and_leaves_no_output()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "2000", "--variants", "40000", "--seed", "3");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"]);
        await AssertInterruptedCleanly(["export", dir["ds"], "--vcf", dir["out.vcf.gz"]], "export: ", "TERM", dir["out.vcf.gz"]);
        Assert.Equal(["ds", "sim"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>Starts genoflow with <paramref name="args"/>, sends <paramref name="signal"/> at its first progress line, and checks exit 130, the line, and that <paramref name="output"/> does not exist.</summary>
    private static async Task AssertInterruptedCleanly(string[] args, string progressPrefix, string signal, string output)
    {
        using Process process = GenoFlowProcess.StartWithDefaultSignals(args);
        // Pipes are read off the test's synchronisation context: under a loaded suite its continuations can come late.
        (string stdout, string stderr) = await Task.Run(async () =>
        {
            Task<string> standardOutput = process.StandardOutput.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            // The first progress line: the command is under way.
            string? line;
            while ((line = await process.StandardError.ReadLineAsync(deadline.Token)) is not null && !line.StartsWith(progressPrefix, StringComparison.Ordinal))
            {
            }
            Assert.False(process.HasExited, $"{args[0]} finished before it could be interrupted; make the input larger");
            using (Process kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(deadline.Token);
            }
            string errors = await process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            return (await standardOutput, errors);
        });

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{stdout}\n{stderr}");
        Assert.Contains("genoflow: cancelled; no output was written", stderr, StringComparison.Ordinal);
        Assert.False(Path.Exists(output), $"a cancelled {args[0]} left {output}");
    }
}
