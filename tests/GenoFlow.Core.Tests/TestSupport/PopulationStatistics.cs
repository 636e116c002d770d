using System.Globalization;

namespace GenoFlow.Core.Tests.TestSupport;

/// <summary>Population-genetic estimates the simulator tests check their settings against.</summary>
public static class PopulationStatistics
{
    /// <summary>Hudson's Fst, ratio of averages over variants and population pairs, corrected for sample size.</summary>
    public static double HudsonFst(MemoryGenotypeWriter writer, IReadOnlyList<string> populationOfSample, int populations)
    {
        // Samples of other labels ("admixed") are left out.
        int[] pop = [.. populationOfSample.Select(p => p.StartsWith("pop", StringComparison.Ordinal) ? int.Parse(p.AsSpan(3), CultureInfo.InvariantCulture) - 1 : -1)];
        double numerator = 0;
        double denominator = 0;
        var alt = new long[populations];
        var observed = new long[populations];
        for (int v = 0; v < writer.Rows.Count; v++)
        {
            Array.Clear(alt);
            Array.Clear(observed);
            sbyte[] counts = writer.AltCounts(v);
            for (int i = 0; i < counts.Length; i++)
            {
                if (counts[i] >= 0 && pop[i] >= 0)
                {
                    alt[pop[i]] += counts[i];
                    observed[pop[i]] += 2;
                }
            }
            for (int k = 0; k < populations; k++)
            {
                for (int l = k + 1; l < populations; l++)
                {
                    double p1 = (double)alt[k] / observed[k];
                    double p2 = (double)alt[l] / observed[l];
                    numerator += ((p1 - p2) * (p1 - p2)) - (p1 * (1 - p1) / (observed[k] - 1)) - (p2 * (1 - p2) / (observed[l] - 1));
                    denominator += (p1 * (1 - p2)) + (p2 * (1 - p1));
                }
            }
        }
        return numerator / denominator;
    }
}
