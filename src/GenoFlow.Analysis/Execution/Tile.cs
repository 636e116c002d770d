using Apache.Arrow;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// One tile in memory: the packed rows (layout: <see cref="PackedGenotypes"/>) of a region's variants for one sample
/// block, stored contiguously, <see cref="Stride"/> bytes per variant with trailing bits zero.
/// </summary>
public sealed class Tile
{
    private readonly ReadOnlyMemory<byte> _packed;

    public Tile(TileId id, long firstVariant, int variantCount, int firstSample, int sampleCount, ReadOnlyMemory<byte> packed)
    {
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
    public ReadOnlySpan<byte> Packed => _packed.Span;

    public long SizeBytes => _packed.Length;

    public ReadOnlySpan<byte> Row(int variant) => _packed.Span.Slice(variant * Stride, Stride);

    /// <summary>
    /// A tile from its Arrow batch (schema: variant_index int64, genotypes binary). Rows the store wrote back to back
    /// are used in place when managed memory holds them; anything else is copied into contiguous rows.
    /// </summary>
    public static Tile FromBatch(TileId id, RecordBatch batch, int firstSample, int sampleCount)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var variantIndex = (Int64Array)batch.Column("variant_index");
        var genotypes = (BinaryArray)batch.Column("genotypes");
        int stride = PackedGenotypes.RowBytes(sampleCount);
        long firstVariant = genotypes.Length == 0 ? 0 : variantIndex.GetValue(0) ?? 0;
        if (IsContiguous(genotypes, stride))
        {
            return new Tile(id, firstVariant, genotypes.Length, firstSample, sampleCount, genotypes.ValueBuffer.Memory[..(genotypes.Length * stride)]);
        }
        byte[] packed = GC.AllocateUninitializedArray<byte>(genotypes.Length * stride);
        for (int v = 0; v < genotypes.Length; v++)
        {
            ReadOnlySpan<byte> row = genotypes.GetBytes(v);
            Debug.Assert(row.Length == stride, "the dataset reader checks tile shape");
            row.CopyTo(packed.AsSpan(v * stride, stride));
        }
        return new Tile(id, firstVariant, genotypes.Length, firstSample, sampleCount, packed);
    }

    /// <summary>Rows back to back in a managed array, which disposing the batch cannot free.</summary>
    private static bool IsContiguous(BinaryArray genotypes, int stride)
    {
        if (genotypes.Offset != 0 || !System.Runtime.InteropServices.MemoryMarshal.TryGetArray(genotypes.ValueBuffer.Memory, out _))
        {
            return false;
        }
        ReadOnlySpan<int> offsets = genotypes.ValueOffsets;
        for (int v = 0; v < offsets.Length; v++)
        {
            if (offsets[v] != v * stride)
            {
                return false;
            }
        }
        return true;
    }
}
