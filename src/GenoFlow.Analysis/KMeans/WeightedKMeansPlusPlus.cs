namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// The local end of k-means||: K centres from a few hundred weighted candidates, by weighted k-means++ seeding
/// (a candidate is drawn with probability ∝ weight · d²) followed by weighted Lloyd iterations until no candidate
/// changes cluster (at most <see cref="MaxLloydIterations"/>). A centre whose cluster empties keeps its place.
/// </summary>
internal static class WeightedKMeansPlusPlus
{
    public const int MaxLloydIterations = 100;

    public static double[] Run(ReadOnlySpan<double> candidates, ReadOnlySpan<long> weights, int k, int d, ref ShardRandom random)
    {
        int n = weights.Length;
        Debug.Assert(candidates.Length == n * d && n >= k);
        var centres = new double[k * d];
        var distances = new double[n];
        Array.Fill(distances, double.PositiveInfinity);
        int first = Draw(weights, distances, useDistances: false, ref random);
        candidates.Slice(first * d, d).CopyTo(centres);
        for (int c = 1; c <= k; c++)
        {
            ReadOnlySpan<double> latest = centres.AsSpan((c - 1) * d, d);
            for (int i = 0; i < n; i++)
            {
                distances[i] = Math.Min(distances[i], SquaredDistance.Compute(candidates.Slice(i * d, d), latest));
            }
            if (c == k)
            {
                break;
            }
            int next = Draw(weights, distances, useDistances: true, ref random);
            candidates.Slice(next * d, d).CopyTo(centres.AsSpan(c * d, d));
        }
        Lloyd(candidates, weights, centres, k, d);
        return centres;
    }

    private static int Draw(ReadOnlySpan<long> weights, double[] distances, bool useDistances, ref ShardRandom random)
    {
        double total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            total += weights[i] * (useDistances ? distances[i] : 1);
        }
        if (!(total > 0))
        {
            // Every candidate coincides with a centre already (or weighs nothing): take the first unused one.
            for (int i = 0; i < weights.Length; i++)
            {
                if (!useDistances || distances[i] > 0)
                {
                    return i;
                }
            }
            return 0;
        }
        double target = random.NextDouble() * total;
        double running = 0;
        int last = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double mass = weights[i] * (useDistances ? distances[i] : 1);
            if (mass <= 0)
            {
                continue;
            }
            last = i;
            running += mass;
            if (running > target)
            {
                return i;
            }
        }
        return last;
    }

    private static void Lloyd(ReadOnlySpan<double> candidates, ReadOnlySpan<long> weights, double[] centres, int k, int d)
    {
        int n = weights.Length;
        var assignment = new int[n];
        Array.Fill(assignment, -1);
        var sums = new double[k * d];
        var mass = new double[k];
        for (int iteration = 0; iteration < MaxLloydIterations; iteration++)
        {
            bool changed = false;
            for (int i = 0; i < n; i++)
            {
                int nearest = SquaredDistance.Nearest(candidates.Slice(i * d, d), centres, out _);
                changed |= nearest != assignment[i];
                assignment[i] = nearest;
            }
            if (!changed)
            {
                return;
            }
            Array.Clear(sums);
            Array.Clear(mass);
            for (int i = 0; i < n; i++)
            {
                int c = assignment[i];
                mass[c] += weights[i];
                for (int j = 0; j < d; j++)
                {
                    sums[c * d + j] += weights[i] * candidates[i * d + j];
                }
            }
            for (int c = 0; c < k; c++)
            {
                if (mass[c] > 0)
                {
                    for (int j = 0; j < d; j++)
                    {
                        centres[c * d + j] = sums[c * d + j] / mass[c];
                    }
                }
            }
        }
    }
}
