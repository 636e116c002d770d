using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.KMeans.Operations;

/// <summary>
/// <c>kmeans.step/1</c>: a shard's part of one mini-batch. It draws <see cref="Input.Count"/> of its rows uniformly
/// with replacement (as sklearn draws a batch) from a stream seeded by (seed, restart, step, shard), assigns each to
/// its nearest centre and returns per-centre sums and counts and the batch's summed squared distances.
/// </summary>
internal sealed class StepOperation : ISampleShardOperation
{
    public const string OperationName = "kmeans.step/1";

    public string Name => OperationName;

    public sealed record Input(FeatureScaling Scaling, double[] Centres, int Count, ulong Seed, int Restart, long Step);

    public sealed record Partial(double[] Sums, long[] Counts, double Inertia);

    public static byte[] Encode(Input input) => KMeansWire.Encode(w =>
    {
        input.Scaling.Write(w);
        KMeansWire.WriteDoubles(w, input.Centres);
        w.Write(input.Count);
        w.Write(input.Seed);
        w.Write(input.Restart);
        w.Write(input.Step);
    });

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> bytes)
    {
        Input input = KMeansWire.Decode(bytes, OperationName, r => new Input(FeatureScaling.Read(r), KMeansWire.ReadDoubles(r), r.ReadInt32(), r.ReadUInt64(), r.ReadInt32(), r.ReadInt64()));
        KMeansWire.CheckShape(OperationName, shard.Columns, input.Scaling, input.Centres);
        // A shard's share of a batch never exceeds its rows (KMeansData.Apportion of a batch of at most all rows); the
        // loop below runs this often, so a message cannot make it spin.
        if (input.Count < 0 || input.Count > shard.Rows)
        {
            throw new InvalidDataException($"{OperationName}: a batch of {input.Count} rows from a shard of {shard.Rows}");
        }
        int d = shard.Columns;
        int k = input.Centres.Length / d;
        var sums = new double[k * d];
        var counts = new long[k];
        double inertia = 0;
        var random = ShardRandom.For(input.Seed, input.Restart, input.Step, shard.Index, 2);
        var centres = new PackedCentres(input.Centres, d);
        Span<double> buffer = stackalloc double[d];
        for (int i = 0; i < input.Count && shard.Rows > 0; i++)
        {
            ReadOnlySpan<double> x = input.Scaling.Apply(shard.Row((int)random.NextBelow(shard.Rows)), buffer);
            int nearest = centres.Nearest(x, out double distance);
            inertia += distance;
            counts[nearest]++;
            Span<double> sum = sums.AsSpan(nearest * d, d);
            for (int c = 0; c < d; c++)
            {
                sum[c] += x[c];
            }
        }
        return KMeansWire.Encode(w =>
        {
            KMeansWire.WriteDoubles(w, sums);
            KMeansWire.WriteLongs(w, counts);
            w.Write(inertia);
        });
    }

    public static Partial Decode(ReadOnlySpan<byte> bytes) =>
        KMeansWire.Decode(bytes, OperationName, r => new Partial(KMeansWire.ReadDoubles(r), KMeansWire.ReadLongs(r), r.ReadDouble()));
}
