namespace GenoFlow.Analysis.Reports;

/// <summary>
/// Which points a plot draws: all of them up to a limit, above it a uniform random subset drawn with a stated seed
/// (so the same run gives the same picture), in their original order.
/// </summary>
internal static class PointSample
{
    public static int[] Indices(int count, int limit, int seed)
    {
        if (count <= limit)
        {
            return [.. Enumerable.Range(0, count)];
        }
        // A partial Fisher–Yates shuffle picks `limit` distinct indices.
        int[] all = [.. Enumerable.Range(0, count)];
        var random = new Random(seed);
        for (int i = 0; i < limit; i++)
        {
            int j = random.Next(i, count);
            (all[i], all[j]) = (all[j], all[i]);
        }
        int[] chosen = all[..limit];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>
    /// How many points each of several series of one plot may draw so that together they stay within the limit: all
    /// of them when they fit, else shares in proportion to their sizes (at least one point for a non-empty series).
    /// </summary>
    public static int[] Shares(IReadOnlyList<int> counts, int limit)
    {
        long total = counts.Sum(c => (long)c);
        return total <= limit ? [.. counts] : [.. counts.Select(c => c == 0 ? 0 : (int)Math.Max(1, (long)limit * c / total))];
    }

    /// <summary>The caption's sentence about subsampling, or empty when every point is drawn.</summary>
    public static string Describe(int count, int drawn, int seed) =>
        drawn < count ? $" {drawn:N0} of {count:N0} points drawn (uniform random subsample, seed {seed})." : "";
}
