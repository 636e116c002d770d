using System.Diagnostics;

namespace GenoFlow.LoadTests;

/// <summary>Runs the published <c>genoflow</c> app as a child process, as users and schedulers run it.</summary>
internal static class GenoFlowRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Process Start(string dll, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info) ?? throw new InvalidOperationException("could not start genoflow");
    }

    public static async Task<Result> RunAsync(string dll, IEnumerable<string> args)
    {
        using Process process = Start(dll, args);
        Task<string> stdout = Task.Run(() => process.StandardOutput.ReadToEndAsync());
        Task<string> stderr = Task.Run(() => process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static async Task RunOkAsync(string dll, params string[] args)
    {
        Result result = await RunAsync(dll, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"genoflow {string.Join(' ', args)} failed ({result.ExitCode}): {result.StdErr}");
        }
    }
}
