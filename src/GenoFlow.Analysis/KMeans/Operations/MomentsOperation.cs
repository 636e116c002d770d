using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.KMeans.Operations;

/// <summary><c>kmeans.moments/1</c>: a shard's row count, column means and sums of squared deviations (two passes, in the table's units).</summary>
internal sealed class MomentsOperation : ISampleShardOperation
{
    public const string OperationName = "kmeans.moments/1";

    public string Name => OperationName;

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        int d = shard.Columns;
        var mean = new double[d];
        var m2 = new double[d];
        for (int r = 0; r < shard.Rows; r++)
        {
            ReadOnlySpan<double> x = shard.Row(r);
            for (int c = 0; c < d; c++)
            {
                mean[c] += x[c];
            }
        }
        for (int c = 0; c < d && shard.Rows > 0; c++)
        {
            mean[c] /= shard.Rows;
        }
        for (int r = 0; r < shard.Rows; r++)
        {
            ReadOnlySpan<double> x = shard.Row(r);
            for (int c = 0; c < d; c++)
            {
                double diff = x[c] - mean[c];
                m2[c] += diff * diff;
            }
        }
        return KMeansWire.Encode(w =>
        {
            w.Write((long)shard.Rows);
            KMeansWire.WriteDoubles(w, mean);
            KMeansWire.WriteDoubles(w, m2);
        });
    }

    public static (long Rows, double[] Mean, double[] M2) Decode(ReadOnlySpan<byte> bytes) =>
        KMeansWire.Decode(bytes, OperationName, r => (r.ReadInt64(), KMeansWire.ReadDoubles(r), KMeansWire.ReadDoubles(r)));
}
