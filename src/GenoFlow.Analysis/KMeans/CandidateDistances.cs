using System.Runtime.CompilerServices;
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
        KMeansWire.CheckShape("k-means candidates", shard.Columns, scaling, candidates);
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

    /// <summary>Measures candidates [from, to) against every row (<see cref="PackedCentres"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Update(SampleShard shard, FeatureScaling scaling, ReadOnlySpan<double> candidates, int from, int to, double[] distances, int[] nearest)
    {
        int d = shard.Columns;
        var packed = new PackedCentres(candidates[(from * d)..(to * d)], d);
        Span<double> buffer = stackalloc double[d];
        for (int r = 0; r < shard.Rows; r++)
        {
            packed.Nearest(scaling.Apply(shard.Row(r), buffer), ref distances[r], ref nearest[r], from);
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
