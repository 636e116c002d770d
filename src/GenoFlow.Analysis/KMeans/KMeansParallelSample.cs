namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// k-means|| (Bahmani et al. 2012) over a sample of rows held in memory, as <see cref="KMeansInitialisation"/> runs it
/// over the shards: one point drawn uniformly, <see cref="KMeansSettings.InitRounds"/> rounds (at most 50 more while
/// fewer than K distinct candidates) in which each point joins with probability min(1, l·d²(x, C)/φ), the candidates
/// weighted by the points nearest to them, then weighted k-means++ with Lloyd iterations. All draws come from the
/// restart's coordinator stream, so the centres depend on the seed and the sample only.
/// </summary>
internal static class KMeansParallelSample
{
    private const int ExtraRounds = 50;

    /// <param name="points">The sample, row after row of <paramref name="d"/> values, in k-means space.</param>
    /// <returns>K centres, or null when the sample holds fewer than K distinct points (the rows as a whole may not).</returns>
    public static double[]? Run(double[] points, int d, KMeansSettings settings, ref ShardRandom random)
    {
        int n = points.Length / d;
        double[] first = Row(points, checked((int)random.NextBelow(n)), d).ToArray();
        var candidates = new List<double>(first);
        var nearest = new double[n];
        for (int i = 0; i < n; i++)
        {
            nearest[i] = SquaredDistance.Compute(Row(points, i, d), first);
        }
        for (int round = 1; round <= settings.InitRounds + ExtraRounds && (round <= settings.InitRounds || candidates.Count / d < settings.K); round++)
        {
            double phi = 0;
            foreach (double distance in nearest)
            {
                phi += distance;
            }
            if (!(phi > 0))
            {
                break;
            }
            var drawn = new List<double>();
            for (int i = 0; i < n; i++)
            {
                if (random.NextDouble() < Math.Min(1, settings.Oversampling * nearest[i] / phi))
                {
                    drawn.AddRange(Row(points, i, d));
                }
            }
            int before = candidates.Count / d;
            KMeansInitialisation.AddDistinct(candidates, [.. drawn], d);
            double[] added = candidates.GetRange(before * d, candidates.Count - before * d).ToArray();
            for (int i = 0; i < n && added.Length > 0; i++)
            {
                SquaredDistance.Nearest(Row(points, i, d), added, out double distance);
                nearest[i] = Math.Min(nearest[i], distance);
            }
        }
        double[] all = [.. candidates];
        if (all.Length / d < settings.K)
        {
            return null;
        }
        var weights = new long[all.Length / d];
        for (int i = 0; i < n; i++)
        {
            weights[SquaredDistance.Nearest(Row(points, i, d), all, out _)]++;
        }
        return WeightedKMeansPlusPlus.Run(all, weights, settings.K, d, ref random);
    }

    private static ReadOnlySpan<double> Row(double[] points, int i, int d) => points.AsSpan(i * d, d);
}
