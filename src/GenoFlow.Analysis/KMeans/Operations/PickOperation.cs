using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.KMeans.Operations;

/// <summary>
/// <c>kmeans.pick/1</c>: the points (in k-means space) of the given global rows of a shard, for random and first
/// centres and the silhouette sample. An empty input (no rows in this shard) gives an empty partial.
/// </summary>
internal sealed class PickOperation : ISampleShardOperation
{
    public const string OperationName = "kmeans.pick/1";

    public string Name => OperationName;

    public static byte[] Encode(FeatureScaling scaling, long[] rows) => KMeansWire.Encode(w =>
    {
        scaling.Write(w);
        KMeansWire.WriteLongs(w, rows);
    });

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        var (scaling, rows) = KMeansWire.Decode(input, OperationName, r => (FeatureScaling.Read(r), KMeansWire.ReadLongs(r)));
        int d = shard.Columns;
        var points = new double[rows.Length * d];
        for (int i = 0; i < rows.Length; i++)
        {
            long local = rows[i] - shard.FirstRow;
            if (local < 0 || local >= shard.Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(input), $"row {rows[i]} is not in shard {shard.Index}");
            }
            scaling.Apply(shard.Row((int)local), points.AsSpan(i * d, d)).CopyTo(points.AsSpan(i * d, d));
        }
        return EncodePoints(rows, points);
    }

    public static byte[] EncodePoints(long[] rows, double[] points) => KMeansWire.Encode(w =>
    {
        KMeansWire.WriteLongs(w, rows);
        KMeansWire.WriteDoubles(w, points);
    });

    public static (long[] Rows, double[] Points) DecodePoints(ReadOnlySpan<byte> bytes) =>
        KMeansWire.Decode(bytes, OperationName, r => (KMeansWire.ReadLongs(r), KMeansWire.ReadDoubles(r)));
}
