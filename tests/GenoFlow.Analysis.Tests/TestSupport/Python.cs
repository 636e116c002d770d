using System.Diagnostics;

namespace GenoFlow.Analysis.Tests.TestSupport;

/// <summary>Runs /usr/bin/python3 (Debian's, with python3-sklearn, installed by tests/run.sh).</summary>
public static class Python
{
    public static string Run(string script)
    {
        Assert.True(File.Exists("/usr/bin/python3"), "/usr/bin/python3 is missing; tests/run.sh installs python3-sklearn");
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-");
        using Process process = Process.Start(info)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python3 failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }
}
