using System.Buffers;
using System.Globalization;
using System.Text;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.KMeans.Operations;

/// <summary>
/// <c>kmeans.assign/1</c>: the final full pass over a shard. Every row goes to its nearest centre; the partial is the
/// per-centre row counts, summed squared distances and sums of the rows (for a Lloyd pass). With a scratch job, the shard's lines of
/// <c>assignments.tsv</c> (<c>sample_id cluster distance</c>, distance = Euclidean) are written to its area as one
/// write-once piece, so a large table's assignments never travel in messages; the coordinator concatenates the
/// pieces in shard order.
/// </summary>
internal sealed class AssignOperation(ScratchRoot scratch) : ISampleShardOperation
{
    public const string OperationName = "kmeans.assign/1";

    public string Name => OperationName;

    public sealed record Input(FeatureScaling Scaling, double[] Centres, string ScratchJob, string PiecePrefix);

    public sealed record Partial(long[] Counts, double[] Inertia, double[] Sums);

    public static byte[] Encode(Input input) => KMeansWire.Encode(w =>
    {
        input.Scaling.Write(w);
        KMeansWire.WriteDoubles(w, input.Centres);
        w.Write(input.ScratchJob);
        w.Write(input.PiecePrefix);
    });

    public static string PieceName(string prefix, int shard) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{shard:D5}.tsv");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> bytes)
    {
        Input input = KMeansWire.Decode(bytes, OperationName, r => new Input(FeatureScaling.Read(r), KMeansWire.ReadDoubles(r), r.ReadString(), r.ReadString()));
        KMeansWire.CheckShape(OperationName, shard.Columns, input.Scaling, input.Centres);
        int d = shard.Columns;
        int k = input.Centres.Length / d;
        var counts = new long[k];
        var inertia = new double[k];
        var sums = new double[k * d];
        // The piece's area is resolved (and its names checked) before any work, so a refused input costs nothing.
        ScratchStore? store = input.ScratchJob.Length > 0 ? scratch.Store(input.ScratchJob) : null;
        string? piece = store is null ? null : PieceName(ScratchNames.Check(input.PiecePrefix, "piece prefix"), shard.Index);
        var lines = store is not null ? new ArrayBufferWriter<byte>(shard.Rows * 48) : null;
        var centres = new PackedCentres(input.Centres, d);
        Span<double> buffer = stackalloc double[d];
        for (int r = 0; r < shard.Rows; r++)
        {
            ReadOnlySpan<double> x = input.Scaling.Apply(shard.Row(r), buffer);
            int nearest = centres.Nearest(x, out double distance);
            counts[nearest]++;
            inertia[nearest] += distance;
            Span<double> sum = sums.AsSpan(nearest * d, d);
            for (int c = 0; c < d; c++)
            {
                sum[c] += x[c];
            }
            if (lines is not null)
            {
                AppendLine(lines, shard.SampleIds[r], nearest, Math.Sqrt(distance));
            }
        }
        if (lines is not null)
        {
            store!.Write<byte>(piece!, lines.WrittenSpan);
        }
        return KMeansWire.Encode(w =>
        {
            KMeansWire.WriteLongs(w, counts);
            KMeansWire.WriteDoubles(w, inertia);
            KMeansWire.WriteDoubles(w, sums);
        });
    }

    /// <summary><c>sample_id TAB cluster TAB distance LF</c>, the distance in the shortest round-trip form.</summary>
    private static void AppendLine(ArrayBufferWriter<byte> lines, string sampleId, int cluster, double distance)
    {
        Span<byte> span = lines.GetSpan(Encoding.UTF8.GetMaxByteCount(sampleId.Length) + 48);
        int at = Encoding.UTF8.GetBytes(sampleId, span);
        span[at++] = (byte)'\t';
        cluster.TryFormat(span[at..], out int written, default, CultureInfo.InvariantCulture);
        at += written;
        span[at++] = (byte)'\t';
        distance.TryFormat(span[at..], out written, "R", CultureInfo.InvariantCulture);
        at += written;
        span[at++] = (byte)'\n';
        lines.Advance(at);
    }

    public static Partial Decode(ReadOnlySpan<byte> bytes) =>
        KMeansWire.Decode(bytes, OperationName, r => new Partial(KMeansWire.ReadLongs(r), KMeansWire.ReadDoubles(r), KMeansWire.ReadDoubles(r)));
}
