namespace GenoFlow.Core.Tests.Formats;

/// <summary>Runs htslib's command-line tools (bgzip, bcftools) to prove interoperability.</summary>
internal static class ExternalTool
{
    /// <summary>Runs <paramref name="tool"/> and returns its standard output bytes; fails the test on a non-zero exit.</summary>
    public static byte[] Run(string tool, params string[] arguments)
    {
        string path = Path.Combine("/usr/bin", tool);
        Assert.True(File.Exists(path), $"{path} is not installed; `.ci/run` installs it (apt packages bcftools tabix plink2 plink1.9).");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        return stdout.ToArray();
    }

    public static string RunText(string tool, params string[] arguments) => System.Text.Encoding.UTF8.GetString(Run(tool, arguments));
}
