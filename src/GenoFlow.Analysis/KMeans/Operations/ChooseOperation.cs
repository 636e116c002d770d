using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.KMeans.Operations;

/// <summary>
/// <c>kmeans.choose/1</c>: one k-means++ draw inside a shard: the first row at which the running sum of squared
/// distances to the nearest centre exceeds the threshold (the last row with a positive distance when rounding leaves
/// the threshold at the end). Shards the draw did not land in get an empty input and return an empty partial.
/// </summary>
internal sealed class ChooseOperation : ISampleShardOperation
{
    public const string OperationName = "kmeans.choose/1";

    public string Name => OperationName;

    public static byte[] Encode(FeatureScaling scaling, double[] centres, double threshold) => KMeansWire.Encode(w =>
    {
        scaling.Write(w);
        KMeansWire.WriteDoubles(w, centres);
        w.Write(threshold);
    });

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return [];
        }
        var (scaling, centres, threshold) = KMeansWire.Decode(input, OperationName, r => (FeatureScaling.Read(r), KMeansWire.ReadDoubles(r), r.ReadDouble()));
        int chosen = CandidateDistances.With(shard, scaling, centres, (distances, _) =>
        {
            double sum = 0;
            int last = -1;
            for (int r = 0; r < distances.Length; r++)
            {
                if (distances[r] > 0)
                {
                    last = r;
                }
                sum += distances[r];
                if (sum > threshold && distances[r] > 0)
                {
                    return r;
                }
            }
            return last;
        });
        if (chosen < 0)
        {
            return PickOperation.EncodePoints([], []);
        }
        var point = new double[shard.Columns];
        scaling.Apply(shard.Row(chosen), point).CopyTo(point);
        return PickOperation.EncodePoints([shard.FirstRow + chosen], point);
    }
}
