using GenoFlow.Analysis.Execution;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Kernels;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Qc;

/// <summary>
/// <c>qc.counts/1</c>: genotype counts of one tile as a <see cref="QcPartial"/>. Input empty: per-variant counts over all
/// of the block's samples, and per-sample counts. Input non-empty: a keep mask, the block's slice of a packed row
/// (<see cref="PackedGenotypes"/> layout) holding 0b11 for each sample to count and 0b00 for each to leave out; then
/// only per-variant counts over the kept samples are computed (the partial's sample arrays are empty).
/// </summary>
public sealed class QcCountsOperation : ICacheableTileOperation, ISinglePassTileOperation
{
    public const string OperationName = "qc.counts/1";

    public string Name => OperationName;

    public int ResultVersion => 1;

    /// <summary>Counts read nothing but the tile.</summary>
    public IReadOnlyList<TileId> TilesRead(TileId tile, ReadOnlySpan<byte> input, DatasetManifest manifest) => [tile];

    /// <summary>Variants counted between two looks at the cancellation token: a few hundred microseconds of work.</summary>
    private const int VariantsPerCheck = 1024;

    public byte[] Run(Tile tile, ReadOnlySpan<byte> input) => Run(tile, input, CancellationToken.None);

    public byte[] Run(Tile tile, ReadOnlySpan<byte> input, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(tile);
        if (!input.IsEmpty && input.Length != tile.Stride)
        {
            throw new ArgumentException($"{OperationName} on tile {tile.Id}: a keep mask of {tile.Stride} bytes expected, got {input.Length}", nameof(input));
        }
        bool masked = !input.IsEmpty;
        QcPartial partial = QcPartial.Empty(tile.VariantCount, masked ? 0 : tile.SampleCount);
        if (masked)
        {
            CountVariantsMasked(tile, input, partial, cancellation);
        }
        else
        {
            // Per chunk of variants: their counts, then their share of the per-sample counts (which add up exactly).
            for (int first = 0; first < tile.VariantCount; first += VariantsPerCheck)
            {
                cancellation.ThrowIfCancellationRequested();
                int end = Math.Min(tile.VariantCount, first + VariantsPerCheck);
                for (int v = first; v < end; v++)
                {
                    GenotypeCounts counts = VariantCounter.CountUnsafe(tile.Row(v), tile.SampleCount);
                    Store(partial, v, counts);
                }
                SampleCounter.Accumulate(tile.Packed.Slice(first * tile.Stride, (end - first) * tile.Stride), end - first, tile.SampleCount,
                    partial.SampleMissing, partial.SampleHet, partial.SampleHomAlt);
            }
        }
        return partial.Encode();
    }

    /// <summary>Left-out samples are masked to 0b00 (hom ALT), counted, and taken off the hom-ALT count.</summary>
    private static void CountVariantsMasked(Tile tile, ReadOnlySpan<byte> mask, QcPartial partial, CancellationToken cancellation)
    {
        int kept = 0;
        for (int s = 0; s < tile.SampleCount; s++)
        {
            kept += PackedGenotypes.GetCode(mask, s) == 0b11 ? 1 : 0;
        }
        Span<byte> row = tile.Stride <= 4096 ? stackalloc byte[tile.Stride] : new byte[tile.Stride];
        for (int v = 0; v < tile.VariantCount; v++)
        {
            if (v % VariantsPerCheck == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }
            ReadOnlySpan<byte> source = tile.Row(v);
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = (byte)(source[i] & mask[i]);
            }
            PackedGenotypes.ClearTrailingBits(row, tile.SampleCount);
            GenotypeCounts counts = VariantCounter.CountUnsafe(row, tile.SampleCount);
            Store(partial, v, counts with { HomAlt = counts.HomAlt - (tile.SampleCount - kept) });
        }
    }

    private static void Store(QcPartial partial, int v, GenotypeCounts counts)
    {
        partial.VariantHomRef[v] = (int)counts.HomRef;
        partial.VariantHet[v] = (int)counts.Het;
        partial.VariantMissing[v] = (int)counts.Missing;
    }
}
