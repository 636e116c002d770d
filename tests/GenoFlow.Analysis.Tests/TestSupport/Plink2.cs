using System.Diagnostics;

namespace GenoFlow.Analysis.Tests.TestSupport;

/// <summary>Runs the plink2 binary; fails the test clearly when it is missing (tests/run.sh installs it) or fails.</summary>
public static class Plink2
{
    public static string Executable
    {
        get
        {
            string? found = new[] { "/usr/bin/plink2", "/usr/local/bin/plink2" }.FirstOrDefault(File.Exists);
            Assert.True(found is not null, "plink2 is not installed (expected /usr/bin/plink2); tests/run.sh installs it");
            return found!;
        }
    }

    public static void Run(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(Executable) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args.Concat(["--threads", "1"]))
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"plink2 {string.Join(' ', args)} exited with {process.ExitCode}:\n{stdout}\n{stderr.Result}");
    }

    /// <summary>Reads a plink2 report (header line starting with '#'); rows as column name → text.</summary>
    public static List<Dictionary<string, string>> ReadTable(string path)
    {
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].TrimStart('#').Split('\t');
        return lines.Skip(1).Select(l => header.Zip(l.Split('\t')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)).ToList();
    }
}
