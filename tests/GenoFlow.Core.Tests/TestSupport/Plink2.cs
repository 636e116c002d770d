namespace GenoFlow.Core.Tests.TestSupport;

/// <summary>Runs the plink2 binary (installed by .ci/run) and fails the test with a clear message if it is missing or fails.</summary>
public static class Plink2
{
    private static readonly string[] Candidates = ["/usr/bin/plink2", "/usr/local/bin/plink2"];

    public static string Executable =>
        Candidates.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "plink2"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("plink2 is not installed (expected /usr/bin/plink2 or plink2 on PATH); .ci/run installs it");

    /// <summary>Runs plink2 with <paramref name="args"/> in <paramref name="workingDirectory"/>; returns stdout, throws on a non-zero exit.</summary>
    public static string Run(string workingDirectory, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.ArgumentList.Add("--threads");
        psi.ArgumentList.Add("1");
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string stderr = stderrTask.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"plink2 {string.Join(' ', args)} exited with {process.ExitCode}:\n{stdout}\n{stderr}");
        }
        return stdout;
    }
}
