using System.Globalization;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Cli.Commands;

/// <summary>What <c>genoflow simulate</c> prints after the run: the LD decay curve, and who the samples are.</summary>
internal static class SimulationSummary
{
    public static void Print(CohortSimulator simulator, LdDecay decay)
    {
        var bins = new List<string>();
        long from = 0;
        foreach ((long upTo, double meanR2, long pairs) in decay.Curve)
        {
            if (pairs > 0)
            {
                bins.Add(string.Create(CultureInfo.InvariantCulture, $"{Kb(from)}-{Kb(upTo)} kb {meanR2:F3}"));
            }
            from = upTo;
        }
        long total = decay.Curve.Sum(b => b.Pairs);
        Console.WriteLine(bins.Count == 0
            ? "LD decay: no pairs of variants within 500 kb"
            : $"LD decay, mean r2 by distance ({total:N0} pairs, up to {LdDecay.MaxSamples:N0} samples): {string.Join(", ", bins)}");
        if (simulator.Settings.Mosaic is null)
        {
            return;
        }
        IEnumerable<string> groups = simulator.PopulationOfSample.GroupBy(p => p).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count():N0}");
        int first = simulator.Relatives.Count(r => r.Degree == 1);
        int second = simulator.Relatives.Count(r => r.Degree == 2);
        Console.WriteLine($"samples: {string.Join(", ", groups)} ({simulator.Settings.Mosaic.Order.ToString().ToLowerInvariant()} order); relatives: {first} parent-offspring, {second} half-sibling pairs");
    }

    private static string Kb(long bp) => (bp / 1000.0).ToString("0.#", CultureInfo.InvariantCulture);
}
