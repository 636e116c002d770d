using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// Each row's squared distance to its nearest k-means||/k-means++ candidate and that candidate's index, remembered per
/// loaded shard between the rounds of an initialisation. A round's input carries every candidate so far; when the
/// remembered candidates are a prefix of them (same scaling), only the new ones are measured, otherwise everything is
/// recomputed. The minimum of exact distances does not depend on the order they were taken in (ties keep the lower
/// index either way), so a hit and a miss give the same bits and the operations stay pure functions of their input.
/// The memo lives as long as the shard stays in the node's shard cache: 12 bytes a row.
/// </summary>
internal static class CandidateDistances
{
    private static readonly ConditionalWeakTable<SampleShard, Memo> Memos = [];

    public static T With<T>(SampleShard shard, FeatureScaling scaling, ReadOnlySpan<double> candidates, Func<double[], int[], T> use)
    {
        Memo memo = Memos.GetValue(shard, _ => new Memo());
        int d = shard.Columns;
        lock (memo)
        {
            bool prefix = memo.Scaling is not null
                && memo.Scaling.Offset.AsSpan().SequenceEqual(scaling.Offset) && memo.Scaling.Scale.AsSpan().SequenceEqual(scaling.Scale)
                && memo.Candidates.Length <= candidates.Length && candidates[..memo.Candidates.Length].SequenceEqual(memo.Candidates);
            if (!prefix)
            {
                memo.Scaling = scaling;
                memo.Candidates = [];
                memo.Distances = new double[shard.Rows];
                Array.Fill(memo.Distances, double.PositiveInfinity);
                memo.Nearest = new int[shard.Rows];
            }
            int known = memo.Candidates.Length / d;
            int total = candidates.Length / d;
            if (total > known)
            {
                Update(shard, scaling, candidates, known, total, memo.Distances, memo.Nearest);
                memo.Candidates = candidates.ToArray();
            }
            return use(memo.Distances, memo.Nearest);
        }
    }

    /// <summary>
    /// Measures candidates [from, to) against every row, four candidates at a time: the block's coordinates are laid out
    /// dimension-major so one vector holds coordinate j of four candidates, and each lane sums its candidate's squared
    /// differences over j in order (the same order, and so the same bits, as a scalar loop; no fused multiply-add).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Update(SampleShard shard, FeatureScaling scaling, ReadOnlySpan<double> candidates, int from, int to, double[] distances, int[] nearest)
    {
        int d = shard.Columns;
        int blocks = (to - from + 3) / 4;
        var packed = new double[blocks * d * 4];
        for (int k = from; k < to; k++)
        {
            int block = (k - from) / 4;
            int lane = (k - from) % 4;
            for (int j = 0; j < d; j++)
            {
                packed[(block * d + j) * 4 + lane] = candidates[k * d + j];
            }
        }
        // Lanes past the last candidate measure against +inf coordinates: an infinite distance that never wins.
        for (int k = to; k < from + blocks * 4; k++)
        {
            int block = (k - from) / 4;
            int lane = (k - from) % 4;
            for (int j = 0; j < d; j++)
            {
                packed[(block * d + j) * 4 + lane] = double.PositiveInfinity;
            }
        }
        Span<double> buffer = stackalloc double[d];
        ref double p = ref MemoryMarshal.GetArrayDataReference(packed);
        for (int r = 0; r < shard.Rows; r++)
        {
            ReadOnlySpan<double> x = scaling.Apply(shard.Row(r), buffer);
            double best = distances[r];
            int bestIndex = nearest[r];
            for (int block = 0; block < blocks; block++)
            {
                var sum = Vector256<double>.Zero;
                nuint offset = (nuint)(block * d * 4);
                for (int j = 0; j < d; j++)
                {
                    Vector256<double> diff = Vector256.Create(x[j]) - Vector256.LoadUnsafe(ref p, offset + (nuint)(j * 4));
                    sum += diff * diff;
                }
                for (int lane = 0; lane < 4; lane++)
                {
                    double dk = sum.GetElement(lane);
                    if (dk < best)
                    {
                        best = dk;
                        bestIndex = from + block * 4 + lane;
                    }
                }
            }
            distances[r] = best;
            nearest[r] = bestIndex;
        }
    }

    private sealed class Memo
    {
        public FeatureScaling? Scaling { get; set; }

        public double[] Candidates { get; set; } = [];

        public double[] Distances { get; set; } = [];

        public int[] Nearest { get; set; } = [];
    }
}
