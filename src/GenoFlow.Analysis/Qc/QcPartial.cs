using System.Buffers.Binary;

namespace GenoFlow.Analysis.Qc;

/// <summary>
/// The partial result of <see cref="QcCountsOperation"/> for one tile, and its wire encoding (the only place it is
/// defined). Per variant of the region, over the block's counted samples: hom REF, het, missing. Per sample of the block,
/// over the region's variants: missing, het, hom ALT (empty when the operation was asked for variant counts only).
/// <code>
/// int32 variant_count V, int32 sample_count S,
/// int32[V] variant_hom_ref, int32[V] variant_het, int32[V] variant_missing,
/// int32[S] sample_missing, int32[S] sample_het, int32[S] sample_hom_alt          (all little-endian)
/// </code>
/// </summary>
public sealed record QcPartial(int[] VariantHomRef, int[] VariantHet, int[] VariantMissing, int[] SampleMissing, int[] SampleHet, int[] SampleHomAlt)
{
    private const int HeaderBytes = 8;

    public int VariantCount => VariantHomRef.Length;

    public int SampleCount => SampleMissing.Length;

    public static QcPartial Empty(int variants, int samples) =>
        new(new int[variants], new int[variants], new int[variants], new int[samples], new int[samples], new int[samples]);

    public byte[] Encode()
    {
        Debug.Assert(VariantHet.Length == VariantCount && VariantMissing.Length == VariantCount);
        Debug.Assert(SampleHet.Length == SampleCount && SampleHomAlt.Length == SampleCount);
        byte[] bytes = new byte[HeaderBytes + 12L * (VariantCount + SampleCount)];
        Span<byte> span = bytes;
        BinaryPrimitives.WriteInt32LittleEndian(span, VariantCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], SampleCount);
        int at = HeaderBytes;
        foreach (int[] array in new[] { VariantHomRef, VariantHet, VariantMissing, SampleMissing, SampleHet, SampleHomAlt })
        {
            foreach (int value in array)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span[at..], value);
                at += 4;
            }
        }
        return bytes;
    }

    /// <summary>Decodes <see cref="Encode"/>'s bytes; throws <see cref="FormatException"/> when the length does not match the header.</summary>
    public static QcPartial Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes)
        {
            throw new FormatException($"a qc partial holds at least {HeaderBytes} bytes, got {bytes.Length}");
        }
        int variants = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        int samples = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (variants < 0 || samples < 0 || bytes.Length != HeaderBytes + 12L * ((long)variants + samples))
        {
            throw new FormatException($"a qc partial of {variants} variants and {samples} samples cannot be {bytes.Length} bytes");
        }
        int at = HeaderBytes;
        return new QcPartial(Next(bytes, ref at, variants), Next(bytes, ref at, variants), Next(bytes, ref at, variants),
            Next(bytes, ref at, samples), Next(bytes, ref at, samples), Next(bytes, ref at, samples));
    }

    private static int[] Next(ReadOnlySpan<byte> bytes, ref int at, int count)
    {
        var array = new int[count];
        for (int i = 0; i < count; i++, at += 4)
        {
            array[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
        }
        return array;
    }
}
