using Apache.Arrow;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// One tile in memory: the packed rows (layout: <see cref="PackedGenotypes"/>) of a region's variants for one sample
/// block, stored contiguously, <see cref="Stride"/> bytes per variant with trailing bits zero.
/// </summary>
public sealed class Tile
{
    private readonly byte[] _packed;

    public Tile(TileId id, long firstVariant, int variantCount, int firstSample, int sampleCount, byte[] packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        Stride = PackedGenotypes.RowBytes(sampleCount);
        if (packed.Length != (long)variantCount * Stride)
        {
            throw new ArgumentException($"tile {id}: {packed.Length} bytes for {variantCount} variants x {sampleCount} samples (expected {(long)variantCount * Stride})", nameof(packed));
        }
        Id = id;
        FirstVariant = firstVariant;
        VariantCount = variantCount;
        FirstSample = firstSample;
        SampleCount = sampleCount;
        _packed = packed;
    }

    public TileId Id { get; }

    /// <summary>Dataset-wide index of the tile's first variant.</summary>
    public long FirstVariant { get; }

    public int VariantCount { get; }

    /// <summary>Dataset-wide index of the block's first sample.</summary>
    public int FirstSample { get; }

    public int SampleCount { get; }

    /// <summary>Bytes per packed row.</summary>
    public int Stride { get; }

    /// <summary>All rows, back to back.</summary>
    public ReadOnlySpan<byte> Packed => _packed;

    public long SizeBytes => _packed.Length;

    public ReadOnlySpan<byte> Row(int variant) => _packed.AsSpan(variant * Stride, Stride);

    /// <summary>Copies a tile batch (schema: variant_index int64, genotypes binary) into contiguous rows.</summary>
    public static Tile FromBatch(TileId id, RecordBatch batch, int firstSample, int sampleCount)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var variantIndex = (Int64Array)batch.Column("variant_index");
        var genotypes = (BinaryArray)batch.Column("genotypes");
        int stride = PackedGenotypes.RowBytes(sampleCount);
        byte[] packed = GC.AllocateUninitializedArray<byte>(genotypes.Length * stride);
        for (int v = 0; v < genotypes.Length; v++)
        {
            ReadOnlySpan<byte> row = genotypes.GetBytes(v);
            Debug.Assert(row.Length == stride, "the dataset reader checks tile shape");
            row.CopyTo(packed.AsSpan(v * stride, stride));
        }
        long firstVariant = genotypes.Length == 0 ? 0 : variantIndex.GetValue(0) ?? 0;
        return new Tile(id, firstVariant, genotypes.Length, firstSample, sampleCount, packed);
    }
}
