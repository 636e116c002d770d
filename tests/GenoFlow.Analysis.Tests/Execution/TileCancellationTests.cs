using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Tests.Execution;

/// <summary>
/// The long tile operations (QC counts, LD pairs, PCA products) observe the job's cancellation token inside their
/// loops, not only before they start: handed a cancelled token directly (past the runner's own checks), or one
/// cancelled while the operation runs, each stops with <see cref="OperationCanceledException"/> instead of
/// finishing the tile. With a live token each gives the bytes it gives without one.
/// </summary>
public sealed class TileCancellationTests
{
    private const int Variants = 4096;
    private const int Samples = 1024;

    private static readonly Tile Big = RandomTile(new TileId(0, 0), 0, seed: 1);

    public static TheoryData<string> Operations => ["qc", "qc masked", "ld", "pca forward", "pca transposed"];

    [Theory]
    [MemberData(nameof(Operations))]
    public void A_cancelled_token_stops_the_operation_inside_its_loop(string operation)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Run(operation, Big, cancelled.Token));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void A_live_token_changes_nothing(string operation)
    {
        using var live = new CancellationTokenSource();

        Assert.Equal(Run(operation, Big, CancellationToken.None), Run(operation, Big, live.Token));
    }

    /// <summary>LD pairs whose windows reach into the next region: the job is cancelled while that tile loads, mid-operation.</summary>
    [Fact]
    public void Ld_pairs_cancelled_mid_tile_stop_before_computing_the_pairs()
    {
        Tile next = RandomTile(new TileId(1, 0), Variants, seed: 2);
        using var job = new CancellationTokenSource();
        LdPairsInput input = PairsInput(ownCount: Variants, partners: 100);
        var operation = new LdPairsOperation();
        int loads = 0;

        Assert.ThrowsAny<OperationCanceledException>(() => operation.Run(Big, input.Encode(), id =>
        {
            loads++;
            job.Cancel();
            return next;
        }, job.Token));
        Assert.Equal(1, loads);
    }

    [Fact]
    public void Qc_counts_in_chunks_of_variants_equal_the_naive_counts_over_the_whole_tile()
    {
        QcPartial partial = QcPartial.Decode(new QcCountsOperation().Run(Big, []));
        int[] missing = new int[Samples], het = new int[Samples], homAlt = new int[Samples];
        Core.Kernels.SampleCounter.AccumulateNaive(Big.Packed, Variants, Samples, missing, het, homAlt);

        Assert.Equal(missing, partial.SampleMissing);
        Assert.Equal(het, partial.SampleHet);
        Assert.Equal(homAlt, partial.SampleHomAlt);
    }

    private static byte[] Run(string operation, Tile tile, CancellationToken cancellation)
    {
        switch (operation)
        {
            case "qc":
                return new QcCountsOperation().Run(tile, [], cancellation);
            case "qc masked":
                byte[] mask = new byte[tile.Stride];
                Array.Fill(mask, (byte)0xff);
                PackedGenotypes.ClearTrailingBits(mask, Samples);
                return new QcCountsOperation().Run(tile, mask, cancellation);
            case "ld":
                return new LdPairsOperation().Run(tile, PairsInput(Variants, 0).Encode(), id => throw new InvalidOperationException($"tile {id} was not expected"), cancellation);
            default:
                bool transposed = operation.EndsWith("transposed", StringComparison.Ordinal);
                const int columns = 8;
                ScratchStore store = TestScratch.Root.CreateStore();
                try
                {
                    store.Write<double>("norm", Enumerable.Range(0, 2 * Variants).Select(i => i % 2 == 0 ? 0.8 : 1.1).ToArray());
                    store.Write<float>("dense", Enumerable.Range(0, (transposed ? Variants : Samples) * columns).Select(i => (float)Math.Sin(i)).ToArray());
                    byte[] partial = new ProductOperation(TestScratch.Root).Run(tile, new ProductInput(transposed, columns, store.JobId, "norm", "dense").Encode(), cancellation);
                    return partial[..^sizeof(double)]; // the kernel's own seconds end the partial
                }
                finally
                {
                    store.Delete();
                }
        }
    }

    /// <summary>Each of the first <paramref name="ownCount"/> variants pairs with the next few, up to <paramref name="partners"/> past the tile.</summary>
    private static LdPairsInput PairsInput(int ownCount, int partners)
    {
        long[] variants = [.. Enumerable.Range(0, ownCount + partners).Select(v => (long)v)];
        int[] reach = [.. Enumerable.Range(0, ownCount).Select(i => Math.Min(20, variants.Length - 1 - i))];
        return new LdPairsInput([], ownCount, variants, reach);
    }

    private static Tile RandomTile(TileId id, long firstVariant, int seed)
    {
        var random = new Random(seed);
        int stride = PackedGenotypes.RowBytes(Samples);
        byte[] packed = new byte[Variants * stride];
        var calls = new sbyte[Samples];
        for (int v = 0; v < Variants; v++)
        {
            for (int s = 0; s < Samples; s++)
            {
                calls[s] = (sbyte)(random.Next(4) - 1);
            }
            PackedGenotypes.Pack(calls, packed.AsSpan(v * stride, stride));
        }
        return new Tile(id, firstVariant, Variants, 0, Samples, packed);
    }
}
