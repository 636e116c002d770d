using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>Ctrl-C (SIGINT) and SIGTERM on a running job: exit 130, one line, no output.</summary>
public sealed class CancelledJobTests : IClassFixture<CancelledJobTests.Cohort>
{
    private readonly Cohort _cohort;

    public CancelledJobTests(Cohort cohort) => _cohort = cohort;

    /// <summary>The dataset both signals interrupt a PCA of, made once: the jobs only read it.</summary>
    public sealed class Cohort : SharedFiles
    {
        public override async Task InitializeAsync()
        {
            await GenoFlowProcess.RunOkAsync("simulate", "--out", Dir["sim"], "--samples", "2000", "--variants", "40000", "--seed", "3");
            await GenoFlowProcess.RunOkAsync("import", "--bed", Dir["sim/cohort"], "--out", Dir["ds"], "--variants-per-tile", "100", "--samples-per-tile", "500");
        }
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_mid_job_exits_130_and_leaves_no_output(string signal)
    {
        using var dir = new TempDirectory();

        // A PCA held to a tolerance it cannot reach runs for many seconds on any machine, so the signal lands mid-job.
        using Process qc = GenoFlowProcess.StartWithDefaultSignals(["pca", _cohort.Dir["ds"], "-k", "5", "--tolerance", "1e-300", "--max-iterations", "200", "--out", dir["qc"]]);
        // Pipes are read off the test's synchronisation context: under a loaded suite its continuations can come late.
        (string stdout, string stderr) = await Task.Run(async () =>
        {
            Task<string> output = qc.StandardOutput.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            // The first progress line: the job is running on the embedded cluster.
            string? line;
            while ((line = await qc.StandardError.ReadLineAsync(deadline.Token)) is not null && !line.StartsWith("pca: ", StringComparison.Ordinal))
            {
            }
            Assert.False(qc.HasExited, "pca finished before it could be interrupted; make the dataset larger");
            using (Process kill = Process.Start("kill", [$"-{signal}", qc.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(deadline.Token);
            }
            string errors = await qc.StandardError.ReadToEndAsync(deadline.Token);
            await qc.WaitForExitAsync(deadline.Token);
            return (await output, errors);
        });

        Assert.True(qc.ExitCode == 130, $"exit {qc.ExitCode}\n{stdout}\n{stderr}");
        Assert.Contains("genoflow: cancelled; no output was written", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["qc"]), "a cancelled job left its output directory");
    }
}
