using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>Awaiting a state another process brings about (a file it writes), with a deadline instead of a sleep.</summary>
internal static class Conditions
{
    /// <summary>Checks <paramref name="condition"/> every 20 ms until it holds; after <paramref name="deadline"/> fails naming <paramref name="what"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"waited {deadline} for {what}");
            }
            await Task.Delay(20);
        }
    }
}
