using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>Peers the tests compare against (Debian packages that tests/run.sh installs).</summary>
internal static class ExternalTool
{
    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        string path = $"/usr/bin/{tool}";
        Assert.True(File.Exists(path), $"{path} is missing: run tests through tests/run.sh, which installs it (apt package for {tool})");
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
