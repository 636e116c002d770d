using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.KMeans.Operations;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// A shard set ready for k-means: its shard sizes, the column moments from one pass (<c>kmeans.moments/1</c>, merged
/// in shard order with Chan et al.'s pairwise formula) and the space k-means works in (identity or standardised).
/// Shared by every K and restart of a run.
/// </summary>
public sealed class KMeansData
{
    private KMeansData(ShardSetRef set, IReadOnlyList<string> columns, long[] shardRows, long[] shardFirstRows, double[] mean, double[] variance, FeatureScaling scaling)
    {
        Set = set;
        Columns = columns;
        ShardRows = shardRows;
        ShardFirstRows = shardFirstRows;
        Mean = mean;
        Variance = variance;
        Scaling = scaling;
    }

    public ShardSetRef Set { get; }

    public IReadOnlyList<string> Columns { get; }

    public int Dimensions => Columns.Count;

    public int ShardCount => ShardRows.Length;

    public long Rows => ShardRows.Sum();

    internal long[] ShardRows { get; }

    internal long[] ShardFirstRows { get; }

    /// <summary>Column means in the table's units.</summary>
    public double[] Mean { get; }

    /// <summary>Column variances (population) in the table's units.</summary>
    public double[] Variance { get; }

    public bool Standardized => !Scaling.IsIdentity;

    internal FeatureScaling Scaling { get; }

    /// <summary>Mean per-column variance in k-means space (the unit of --tolerance, as sklearn's).</summary>
    public double MeanVariance => Standardized ? Variance.Average(v => v > 0 ? 1.0 : 0.0) : Variance.Average();

    public static Task<KMeansData> PrepareAsync(IJobExecutor executor, SampleShardSet set, bool standardize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        return PrepareAsync(executor, ShardSetRef.Of(set), set.Columns, [.. set.Manifest.Shards.Select(s => (long)s.Rows)], [.. set.Manifest.Shards.Select(s => s.FirstRow)], standardize, cancellationToken);
    }

    /// <summary>As for a written set, for shards the executor holds in memory (<see cref="IInMemoryShardHost"/>).</summary>
    public static Task<KMeansData> PrepareAsync(IJobExecutor executor, InMemoryShardSet set, bool standardize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        return PrepareAsync(executor, set.Ref, set.Columns, [.. set.Shards.Select(s => (long)s.Rows)], [.. set.Shards.Select(s => s.FirstRow)], standardize, cancellationToken);
    }

    private static async Task<KMeansData> PrepareAsync(IJobExecutor executor, ShardSetRef set, IReadOnlyList<string> columns, long[] shardRows, long[] firstRows, bool standardize,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        int d = columns.Count;
        long rows = 0;
        var mean = new double[d];
        var m2 = new double[d];
        await executor.RunAsync(SampleShardJob.Uniform(set, MomentsOperation.OperationName, shardRows.Length, KMeansWire.Encode(_ => { })), (_, bytes) =>
        {
            var (n, shardMean, shardM2) = MomentsOperation.Decode(bytes.Span);
            if (n == 0)
            {
                return;
            }
            long total = rows + n;
            for (int c = 0; c < d; c++)
            {
                double delta = shardMean[c] - mean[c];
                mean[c] += delta * n / total;
                m2[c] += shardM2[c] + delta * delta * ((double)rows * n / total);
            }
            rows = total;
        }, null, cancellationToken);
        double[] variance = m2.Select(m => rows > 0 ? m / rows : 0).ToArray();
        FeatureScaling scaling = standardize ? FeatureScaling.Standardize(mean, variance) : FeatureScaling.Identity(d);
        return new KMeansData(set, columns, shardRows, firstRows, mean, variance, scaling);
    }

    /// <summary>The shard holding global row <paramref name="row"/>.</summary>
    internal int ShardOf(long row)
    {
        int index = Array.BinarySearch(ShardFirstRows, row);
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>
    /// Splits <paramref name="total"/> draws over the shards in proportion to their rows: the floors of the exact
    /// shares, then one more to the largest remainders (lower shard first on a tie). Depends only on the shard sizes.
    /// </summary>
    internal int[] Apportion(int total)
    {
        long rows = Rows;
        var counts = new int[ShardCount];
        var remainders = new (long Remainder, int Shard)[ShardCount];
        long given = 0;
        for (int s = 0; s < ShardCount; s++)
        {
            long product = total * ShardRows[s];
            counts[s] = (int)(product / rows);
            remainders[s] = (product % rows, s);
            given += counts[s];
        }
        foreach (var (_, shard) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Shard).Take((int)(total - given)))
        {
            counts[shard]++;
        }
        return counts;
    }
}
