using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>Runs the real <c>genoflow</c> executable as a child process, the way users and schedulers run it.</summary>
internal static class GenoFlowProcess
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromMinutes(3);

    /// <summary>The published app when tests/run.sh set GENOFLOW_DLL, else the build referenced by this project.</summary>
    private static string Dll => Environment.GetEnvironmentVariable("GENOFLOW_DLL") is { Length: > 0 } published
        ? published
        : Path.Combine(AppContext.BaseDirectory, "genoflow.dll");

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
    }

    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null) => Start("dotnet", [], args, environment);

    /// <summary>Starts genoflow inside network namespace <paramref name="ns"/> (<c>ip netns exec</c> execs it: same pid).</summary>
    public static Process StartInNamespace(string ns, IEnumerable<string> args) => Start("ip", ["netns", "exec", ns, "dotnet"], args, null);

    /// <summary>
    /// Starts genoflow with SIGINT and SIGQUIT at their defaults, whatever this test process inherited: a suite started
    /// in the background of a non-interactive shell has them ignored, and a child keeps an ignored signal, so Ctrl-C
    /// could not be tested. Python resets them and then execs the app in its own process (same pid).
    /// </summary>
    public static Process StartWithDefaultSignals(IEnumerable<string> args) =>
        Start("/usr/bin/python3", ["-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); signal.signal(signal.SIGQUIT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])", "dotnet"], args, null);

    private static Process Start(string program, IEnumerable<string> launcher, IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in launcher)
        {
            info.ArgumentList.Add(arg);
        }
        info.ArgumentList.Add(Dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException("could not start genoflow");
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null, TimeSpan? deadline = null)
    {
        using Process process = Start(args, environment);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline ?? DefaultDeadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"genoflow {string.Join(' ', args)} did not finish within {deadline ?? DefaultDeadline}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static async Task<Result> RunOkAsync(params string[] args)
    {
        Result result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"genoflow {string.Join(' ', args)} failed: {result}");
        return result;
    }
}
