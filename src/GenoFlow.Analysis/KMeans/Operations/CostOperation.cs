using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.KMeans.Operations;

/// <summary><c>kmeans.cost/1</c>: φ of a shard, the sum over its rows of the squared distance to the nearest candidate.</summary>
internal sealed class CostOperation : ISampleShardOperation
{
    public const string OperationName = "kmeans.cost/1";

    public string Name => OperationName;

    public static byte[] Encode(FeatureScaling scaling, ReadOnlySpan<double> candidates)
    {
        double[] copy = candidates.ToArray();
        return KMeansWire.Encode(w =>
        {
            scaling.Write(w);
            KMeansWire.WriteDoubles(w, copy);
        });
    }

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        var (scaling, candidates) = KMeansWire.Decode(input, OperationName, r => (FeatureScaling.Read(r), KMeansWire.ReadDoubles(r)));
        double phi = CandidateDistances.With(shard, scaling, candidates, (distances, _) => Sum(distances));
        return BitConverter.GetBytes(phi);
    }

    public static double Decode(ReadOnlySpan<byte> bytes) => BitConverter.ToDouble(bytes);

    /// <summary>Left-to-right sum: the order, and so the bits, are fixed.</summary>
    internal static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }
        return sum;
    }
}
