using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.KMeans.Operations;

/// <summary><c>kmeans.weights/1</c>: how many of a shard's rows have each candidate as their nearest (the k-means|| weights).</summary>
internal sealed class WeightsOperation : ISampleShardOperation
{
    public const string OperationName = "kmeans.weights/1";

    public string Name => OperationName;

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        var (scaling, candidates) = KMeansWire.Decode(input, OperationName, r => (FeatureScaling.Read(r), KMeansWire.ReadDoubles(r)));
        var counts = new long[candidates.Length / shard.Columns];
        CandidateDistances.With(shard, scaling, candidates, (_, nearest) =>
        {
            foreach (int k in nearest)
            {
                counts[k]++;
            }
            return 0;
        });
        return KMeansWire.Encode(w => KMeansWire.WriteLongs(w, counts));
    }

    public static long[] Decode(ReadOnlySpan<byte> bytes) => KMeansWire.Decode(bytes, OperationName, KMeansWire.ReadLongs);
}
