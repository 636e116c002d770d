using GenoFlow.Analysis.Execution;

namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// The sampled silhouette used to compare K (Rousseeuw 1987; sklearn's <c>silhouette_score</c> with
/// <c>sample_size</c>): up to <see cref="DefaultSampleSize"/> rows drawn uniformly without replacement (seeded), their
/// points fetched with one <c>kmeans.pick/1</c> pass; each sampled row is labelled by its nearest centre, a = its mean
/// Euclidean distance to the other sampled rows of its cluster, b = the lowest mean distance to another cluster's,
/// s = (b − a)/max(a, b) (0 for a row alone in its cluster), and the score is the mean of s.
/// </summary>
public static class Silhouette
{
    public const int DefaultSampleSize = 5_000;

    /// <summary>The sampled rows' points in k-means space, in increasing row order.</summary>
    public static async Task<double[]> SampleAsync(IJobExecutor executor, KMeansData data, int size, ulong seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var rows = new List<long>();
        if (data.Rows <= size)
        {
            for (long r = 0; r < data.Rows; r++)
            {
                rows.Add(r);
            }
        }
        else
        {
            var random = ShardRandom.For(seed, -2, -1, -1, 4);
            var drawn = new HashSet<long>();
            while (rows.Count < size)
            {
                long row = random.NextBelow(data.Rows);
                if (drawn.Add(row))
                {
                    rows.Add(row);
                }
            }
            rows.Sort();
        }
        return await KMeansInitialisation.PickAsync(executor, data, rows, cancellationToken);
    }

    /// <summary>The mean silhouette of <paramref name="points"/> labelled by their nearest centre; NaN when fewer than two clusters are used.</summary>
    public static double Score(double[] points, int dimensions, double[] centres)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(centres);
        int n = points.Length / dimensions;
        int k = centres.Length / dimensions;
        var labels = new int[n];
        var sizes = new int[k];
        for (int i = 0; i < n; i++)
        {
            labels[i] = SquaredDistance.Nearest(points.AsSpan(i * dimensions, dimensions), centres, out _);
            sizes[labels[i]]++;
        }
        if (sizes.Count(s => s > 0) < 2)
        {
            return double.NaN;
        }
        var scores = new double[n];
        Parallel.For(0, n, () => new double[k], (i, _, sums) =>
        {
            Array.Clear(sums);
            ReadOnlySpan<double> x = points.AsSpan(i * dimensions, dimensions);
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                {
                    sums[labels[j]] += Math.Sqrt(SquaredDistance.Compute(x, points.AsSpan(j * dimensions, dimensions)));
                }
            }
            int own = labels[i];
            if (sizes[own] == 1)
            {
                scores[i] = 0;
                return sums;
            }
            double a = sums[own] / (sizes[own] - 1);
            double b = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
            {
                if (c != own && sizes[c] > 0)
                {
                    b = Math.Min(b, sums[c] / sizes[c]);
                }
            }
            double denominator = Math.Max(a, b);
            scores[i] = denominator > 0 ? (b - a) / denominator : 0;
            return sums;
        }, _ => { });
        return scores.Sum() / n;
    }
}
