namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// The local end of k-means||: K centres from a few hundred weighted candidates. Greedy weighted k-means++ seeding
/// (each new centre is the best of 2 + ⌊ln K⌋ candidates drawn with probability ∝ weight · d², as sklearn seeds) followed
/// by weighted Lloyd iterations until no candidate changes cluster (at most <see cref="MaxLloydIterations"/>); this is
/// repeated <see cref="LocalRuns"/> times and the lowest weighted cost kept, since one unlucky seeding would merge two
/// populations for good. A centre whose cluster empties keeps its place. All on the coordinator, in microseconds.
/// </summary>
internal static class WeightedKMeansPlusPlus
{
    public const int MaxLloydIterations = 100;
    public const int LocalRuns = 5;

    public static double[] Run(ReadOnlySpan<double> candidates, ReadOnlySpan<long> weights, int k, int d, ref ShardRandom random)
    {
        double[]? best = null;
        double bestCost = double.PositiveInfinity;
        for (int run = 0; run < LocalRuns; run++)
        {
            double[] centres = Seed(candidates, weights, k, d, ref random);
            double cost = Lloyd(candidates, weights, centres, k, d);
            if (cost < bestCost)
            {
                (best, bestCost) = (centres, cost);
            }
        }
        return best!;
    }

    private static double[] Seed(ReadOnlySpan<double> candidates, ReadOnlySpan<long> weights, int k, int d, ref ShardRandom random)
    {
        int n = weights.Length;
        Debug.Assert(candidates.Length == n * d && n >= k);
        int trials = 2 + (int)Math.Log(k);
        var centres = new double[k * d];
        var distances = new double[n];
        Array.Fill(distances, double.PositiveInfinity);
        int first = Draw(weights, distances, useDistances: false, ref random);
        candidates.Slice(first * d, d).CopyTo(centres);
        Lower(candidates, distances, centres.AsSpan(0, d), d);
        var trial = new double[n];
        var bestTrial = new double[n];
        for (int c = 1; c < k; c++)
        {
            double bestPotential = double.PositiveInfinity;
            int chosen = -1;
            for (int t = 0; t < trials; t++)
            {
                int index = Draw(weights, distances, useDistances: true, ref random);
                distances.CopyTo(trial, 0);
                Lower(candidates, trial, candidates.Slice(index * d, d), d);
                double potential = 0;
                for (int i = 0; i < n; i++)
                {
                    potential += weights[i] * trial[i];
                }
                if (potential < bestPotential)
                {
                    (bestPotential, chosen) = (potential, index);
                    trial.CopyTo(bestTrial, 0);
                }
            }
            candidates.Slice(chosen * d, d).CopyTo(centres.AsSpan(c * d, d));
            bestTrial.CopyTo(distances, 0);
        }
        return centres;
    }

    private static void Lower(ReadOnlySpan<double> candidates, double[] distances, ReadOnlySpan<double> centre, int d)
    {
        for (int i = 0; i < distances.Length; i++)
        {
            distances[i] = Math.Min(distances[i], SquaredDistance.Compute(candidates.Slice(i * d, d), centre));
        }
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

    /// <summary>Weighted Lloyd iterations in place; returns the final weighted cost Σ w·d².</summary>
    private static double Lloyd(ReadOnlySpan<double> candidates, ReadOnlySpan<long> weights, double[] centres, int k, int d)
    {
        int n = weights.Length;
        var assignment = new int[n];
        Array.Fill(assignment, -1);
        var sums = new double[k * d];
        var mass = new double[k];
        for (int iteration = 0; iteration < MaxLloydIterations; iteration++)
        {
            bool changed = false;
            double cost = 0;
            for (int i = 0; i < n; i++)
            {
                int nearest = SquaredDistance.Nearest(candidates.Slice(i * d, d), centres, out double distance);
                changed |= nearest != assignment[i];
                assignment[i] = nearest;
                cost += weights[i] * distance;
            }
            if (!changed)
            {
                return cost;
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
        double final = 0;
        for (int i = 0; i < n; i++)
        {
            SquaredDistance.Nearest(candidates.Slice(i * d, d), centres, out double distance);
            final += weights[i] * distance;
        }
        return final;
    }
}
