using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Qc;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Tests.Qc;

public class QcPartialTests
{
    [Fact]
    public void Encoding_round_trips_and_is_little_endian_with_a_count_header()
    {
        var partial = new QcPartial([1, 2], [3, 4], [5, 6], [7, 8, 9], [10, 11, 12], [13, 14, -1]);
        byte[] bytes = partial.Encode();
        Assert.Equal(8 + 12 * 5, bytes.Length);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0 }, bytes[..12]);
        QcPartial back = QcPartial.Decode(bytes);
        Assert.Equal(partial.Encode(), back.Encode());
        Assert.Equal([13, 14, -1], back.SampleHomAlt);
        Assert.Throws<FormatException>(() => QcPartial.Decode(bytes.AsSpan(0, bytes.Length - 4)));
    }

    [Fact]
    public void The_operation_is_registered_and_counts_a_tile_with_and_without_a_keep_mask()
    {
        Assert.IsType<QcCountsOperation>(OperationRegistry.For(ScratchRoot.None).Get("qc.counts/1"));
        const int samples = 133, variants = 5;
        var random = new Random(5);
        int stride = PackedGenotypes.RowBytes(samples);
        byte[] packed = new byte[variants * stride];
        var calls = new sbyte[variants][];
        for (int v = 0; v < variants; v++)
        {
            calls[v] = Enumerable.Range(0, samples).Select(_ => (sbyte)(random.Next(4) - 1)).ToArray();
            PackedGenotypes.Pack(calls[v], packed.AsSpan(v * stride, stride));
        }
        var tile = new Tile(new TileId(0, 0), 0, variants, 0, samples, packed);
        var operation = new QcCountsOperation();

        QcPartial all = QcPartial.Decode(operation.Run(tile, []));
        Assert.Equal(samples, all.SampleCount);
        for (int v = 0; v < variants; v++)
        {
            Assert.Equal(calls[v].Count(c => c == 0), all.VariantHomRef[v]);
            Assert.Equal(calls[v].Count(c => c == -1), all.VariantMissing[v]);
        }
        Assert.Equal(Enumerable.Range(0, samples).Select(s => calls.Count(c => c[s] == 2)), all.SampleHomAlt);

        bool[] keep = Enumerable.Range(0, samples).Select(s => s % 3 != 1).ToArray();
        byte[] mask = new byte[stride];
        for (int s = 0; s < samples; s++)
        {
            if (keep[s])
            {
                PackedGenotypes.SetCode(mask, s, 0b11);
            }
        }
        QcPartial masked = QcPartial.Decode(operation.Run(tile, mask));
        Assert.Equal(0, masked.SampleCount);
        for (int v = 0; v < variants; v++)
        {
            sbyte[] kept = calls[v].Where((_, s) => keep[s]).ToArray();
            Assert.Equal((kept.Count(c => c == 0), kept.Count(c => c == 1), kept.Count(c => c == -1)), (masked.VariantHomRef[v], masked.VariantHet[v], masked.VariantMissing[v]));
        }
        Assert.Throws<ArgumentException>(() => operation.Run(tile, new byte[3]));
    }
}
