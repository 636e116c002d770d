using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.KMeans.Operations;

namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// The first K centres of a restart, chosen without pulling the data to one place. The coordinator's own draws come
/// from a stream seeded by (seed, restart); the shards' from (seed, restart, round, shard).
/// <list type="bullet">
/// <item>k-means|| (Bahmani et al. 2012): one uniformly drawn row, then <see cref="KMeansSettings.InitRounds"/> rounds
/// in which φ = Σ d²(x, C) is summed over the shards (<c>kmeans.cost/1</c>) and every row joins C with probability
/// min(1, l·d²(x, C)/φ), l = 2K (<c>kmeans.sample/1</c>; equal points are kept once); rounds continue (at most 50 more) while C has fewer than K
/// points. Each candidate is weighted by the rows nearest to it (<c>kmeans.weights/1</c>), and weighted k-means++ plus
/// Lloyd iterations on the candidates give K centres locally. Shards remember their distances between rounds
/// (<see cref="CandidateDistances"/>), so a round measures only the new candidates. A table of more rows than
/// <see cref="KMeansSettings.InitSampleRows"/> is initialised as sklearn initialises MiniBatchKMeans, from a uniform
/// sample of that many rows (one pick job), on which the same k-means|| runs in memory (<see cref="KMeansParallelSample"/>):
/// on 1M x 20 the passes over all rows cost ~1 s of CPU per restart, the sample's a few milliseconds.</item>
/// <item>k-means++: K − 1 rounds of a φ pass and one draw ∝ d² (<c>kmeans.choose/1</c> in the shard the draw falls in).</item>
/// <item>random: K distinct rows drawn uniformly (<c>kmeans.pick/1</c>).</item>
/// </list>
/// </summary>
internal static class KMeansInitialisation
{
    private const int ExtraRounds = 50;

    public static Task<double[]> RunAsync(IJobExecutor executor, KMeansData data, KMeansSettings settings, int restart, CancellationToken cancellationToken)
    {
        var random = ShardRandom.For(settings.Seed, restart, -1, -1, 3);
        return settings.Init switch
        {
            KMeansInit.KMeansParallel => ParallelAsync(executor, data, settings, restart, random, cancellationToken),
            KMeansInit.KMeansPlusPlus => PlusPlusAsync(executor, data, settings.K, random, cancellationToken),
            _ => RandomAsync(executor, data, settings.K, random, cancellationToken),
        };
    }

    private static async Task<double[]> ParallelAsync(IJobExecutor executor, KMeansData data, KMeansSettings settings, int restart, ShardRandom random, CancellationToken cancellationToken)
    {
        int d = data.Dimensions;
        long sampleRows = settings.InitSampleRows(data.Rows);
        if (data.Rows > sampleRows)
        {
            double[] sample = await PickAsync(executor, data, DistinctRows(data.Rows, sampleRows, ref random), cancellationToken);
            if (KMeansParallelSample.Run(sample, d, settings, ref random) is { } centres)
            {
                return centres;
            }
        }
        var candidates = new List<double>(await PickAsync(executor, data, [random.NextBelow(data.Rows)], cancellationToken));
        for (int round = 1; round <= settings.InitRounds + ExtraRounds && (round <= settings.InitRounds || candidates.Count / d < settings.K); round++)
        {
            double[] current = [.. candidates];
            double phi = await CostAsync(executor, data, current, cancellationToken);
            if (!(phi > 0))
            {
                break;
            }
            byte[] input = SampleOperation.Encode(new SampleOperation.Input(data.Scaling, current, phi, settings.Oversampling, settings.Seed, restart, round));
            await executor.RunAsync(SampleShardJob.Uniform(data.Set, SampleOperation.OperationName, data.ShardCount, input),
                (_, bytes) => AddDistinct(candidates, PickOperation.DecodePoints(bytes.Span).Points, d), null, cancellationToken);
        }
        double[] all = [.. candidates];
        if (all.Length / d < settings.K)
        {
            throw new InvalidDataException($"the rows hold only {all.Length / d} distinct points, fewer than --k {settings.K}");
        }
        var weights = new long[all.Length / d];
        byte[] weightsInput = CostOperation.Encode(data.Scaling, all);
        await executor.RunAsync(SampleShardJob.Uniform(data.Set, WeightsOperation.OperationName, data.ShardCount, weightsInput), (_, bytes) =>
        {
            long[] partial = WeightsOperation.Decode(bytes.Span);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] += partial[i];
            }
        }, null, cancellationToken);
        return WeightedKMeansPlusPlus.Run(all, weights, settings.K, d, ref random);
    }

    private static async Task<double[]> PlusPlusAsync(IJobExecutor executor, KMeansData data, int k, ShardRandom random, CancellationToken cancellationToken)
    {
        var centres = new List<double>(await PickAsync(executor, data, [random.NextBelow(data.Rows)], cancellationToken));
        for (int c = 1; c < k; c++)
        {
            double[] current = [.. centres];
            var phis = new double[data.ShardCount];
            await executor.RunAsync(SampleShardJob.Uniform(data.Set, CostOperation.OperationName, data.ShardCount, CostOperation.Encode(data.Scaling, current)),
                (s, bytes) => phis[s] = CostOperation.Decode(bytes.Span), null, cancellationToken);
            double total = CostOperation.Sum(phis);
            if (!(total > 0))
            {
                throw new InvalidDataException($"the rows hold only {c} distinct points, fewer than --k {k}");
            }
            double target = random.NextDouble() * total;
            int shard = 0;
            double before = 0;
            while (shard < data.ShardCount - 1 && (phis[shard] <= 0 || before + phis[shard] <= target))
            {
                before += phis[shard];
                shard++;
            }
            int chosen = shard;
            byte[] input = ChooseOperation.Encode(data.Scaling, current, target - before);
            await executor.RunAsync(new SampleShardJob(data.Set, ChooseOperation.OperationName, data.ShardCount, s => s == chosen ? input : ReadOnlyMemory<byte>.Empty), (s, bytes) =>
            {
                if (s == chosen)
                {
                    centres.AddRange(PickOperation.DecodePoints(bytes.Span).Points);
                }
            }, null, cancellationToken);
        }
        return [.. centres];
    }

    private static Task<double[]> RandomAsync(IJobExecutor executor, KMeansData data, int k, ShardRandom random, CancellationToken cancellationToken) =>
        PickAsync(executor, data, DistinctRows(data.Rows, k, ref random), cancellationToken);

    /// <summary><paramref name="count"/> distinct rows below <paramref name="rows"/>, drawn uniformly, in the order drawn.</summary>
    private static List<long> DistinctRows(long rows, long count, ref ShardRandom random)
    {
        var drawn = new HashSet<long>();
        var order = new List<long>();
        while (order.Count < count)
        {
            long row = random.NextBelow(rows);
            if (drawn.Add(row))
            {
                order.Add(row);
            }
        }
        return order;
    }

    /// <summary>Points of the given distinct global rows, in the order given.</summary>
    internal static async Task<double[]> PickAsync(IJobExecutor executor, KMeansData data, IReadOnlyList<long> rows, CancellationToken cancellationToken)
    {
        int d = data.Dimensions;
        long[] sorted = [.. rows.Order()];
        var perShard = new long[data.ShardCount][];
        int start = 0;
        for (int s = 0; s < data.ShardCount; s++)
        {
            int end = start;
            long limit = data.ShardFirstRows[s] + data.ShardRows[s];
            while (end < sorted.Length && sorted[end] < limit)
            {
                end++;
            }
            perShard[s] = sorted[start..end];
            start = end;
        }
        var byRow = new Dictionary<long, int>();
        var sortedPoints = new double[sorted.Length * d];
        int next = 0;
        await executor.RunAsync(new SampleShardJob(data.Set, PickOperation.OperationName, data.ShardCount, s => PickOperation.Encode(data.Scaling, perShard[s])), (_, bytes) =>
        {
            var (shardRows, points) = PickOperation.DecodePoints(bytes.Span);
            points.CopyTo(sortedPoints, next * d);
            foreach (long row in shardRows)
            {
                byRow[row] = next++;
            }
        }, null, cancellationToken);
        var result = new double[rows.Count * d];
        for (int i = 0; i < rows.Count; i++)
        {
            sortedPoints.AsSpan(byRow[rows[i]] * d, d).CopyTo(result.AsSpan(i * d, d));
        }
        return result;
    }

    /// <summary>Appends the points not already among the candidates (a round can draw equal rows), keeping the first of equals.</summary>
    internal static void AddDistinct(List<double> candidates, double[] points, int d)
    {
        for (int p = 0; p < points.Length; p += d)
        {
            ReadOnlySpan<double> point = points.AsSpan(p, d);
            bool seen = false;
            for (int c = 0; c < candidates.Count && !seen; c += d)
            {
                seen = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates).Slice(c, d).SequenceEqual(point);
            }
            if (!seen)
            {
                candidates.AddRange(point);
            }
        }
    }

    private static async Task<double> CostAsync(IJobExecutor executor, KMeansData data, double[] candidates, CancellationToken cancellationToken)
    {
        double phi = 0;
        await executor.RunAsync(SampleShardJob.Uniform(data.Set, CostOperation.OperationName, data.ShardCount, CostOperation.Encode(data.Scaling, candidates)),
            (_, bytes) => phi += CostOperation.Decode(bytes.Span), null, cancellationToken);
        return phi;
    }
}
