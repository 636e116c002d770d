using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.KMeans.Operations;

/// <summary>
/// <c>kmeans.sample/1</c>: one k-means|| round on a shard. Row x joins the candidates with probability
/// min(1, l·d²(x)/φ), one uniform draw per row in row order from a stream seeded by (seed, restart, round, shard).
/// Returns the chosen rows' global indices and their points in k-means space.
/// </summary>
internal sealed class SampleOperation : ISampleShardOperation
{
    public const string OperationName = "kmeans.sample/1";

    public string Name => OperationName;

    public sealed record Input(FeatureScaling Scaling, double[] Candidates, double Phi, double Oversampling, ulong Seed, int Restart, int Round);

    public static byte[] Encode(Input input) => KMeansWire.Encode(w =>
    {
        input.Scaling.Write(w);
        KMeansWire.WriteDoubles(w, input.Candidates);
        w.Write(input.Phi);
        w.Write(input.Oversampling);
        w.Write(input.Seed);
        w.Write(input.Restart);
        w.Write(input.Round);
    });

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> bytes)
    {
        Input input = KMeansWire.Decode(bytes, OperationName, r => new Input(FeatureScaling.Read(r), KMeansWire.ReadDoubles(r), r.ReadDouble(), r.ReadDouble(), r.ReadUInt64(), r.ReadInt32(), r.ReadInt32()));
        var rows = new List<long>();
        var points = new List<double>();
        CandidateDistances.With(shard, input.Scaling, input.Candidates, (distances, _) =>
        {
            var random = ShardRandom.For(input.Seed, input.Restart, input.Round, shard.Index, 1);
            var buffer = new double[shard.Columns];
            for (int r = 0; r < shard.Rows; r++)
            {
                double p = input.Oversampling * distances[r] / input.Phi;
                if (random.NextDouble() < p)
                {
                    rows.Add(shard.FirstRow + r);
                    points.AddRange(input.Scaling.Apply(shard.Row(r), buffer));
                }
            }
            return 0;
        });
        return PickOperation.EncodePoints(rows.ToArray(), points.ToArray());
    }
}
