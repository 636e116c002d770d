using System.Buffers.Binary;

namespace GenoFlow.Analysis.Ld;

/// <summary>
/// Input of <see cref="LdPairsOperation"/> for one tile (region r, block b), and its wire encoding (defined only here).
/// <see cref="Variants"/> lists dataset-wide variant indices, increasing: first the <see cref="OwnCount"/> variants of
/// region r that take part, then the following ones (same contig, possibly in later regions) that they pair with.
/// Own variant i pairs with list entries i+1 … i+<see cref="Reach"/>[i]. <see cref="KeepMask"/> is empty (all samples)
/// or the block's slice of a packed row holding 0b11 for each sample to count and 0b00 for each to leave out.
/// <code>
/// int32 mask_bytes, byte[mask_bytes] keep_mask, int32 own_count V, int32 variant_count T,
/// int64[T] variants, int32[V] reach                                                   (all little-endian)
/// </code>
/// </summary>
public sealed record LdPairsInput(byte[] KeepMask, int OwnCount, long[] Variants, int[] Reach)
{
    public byte[] Encode()
    {
        Debug.Assert(Reach.Length == OwnCount && OwnCount <= Variants.Length);
        byte[] bytes = new byte[12 + KeepMask.Length + 8L * Variants.Length + 4L * OwnCount];
        Span<byte> span = bytes;
        BinaryPrimitives.WriteInt32LittleEndian(span, KeepMask.Length);
        KeepMask.CopyTo(span[4..]);
        int at = 4 + KeepMask.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], OwnCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at + 4)..], Variants.Length);
        at += 8;
        foreach (long v in Variants)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], v);
            at += 8;
        }
        foreach (int r in Reach)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], r);
            at += 4;
        }
        return bytes;
    }

    /// <summary>Decodes <see cref="Encode"/>'s bytes; throws <see cref="FormatException"/> on any inconsistency.</summary>
    public static LdPairsInput Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 12)
        {
            throw new FormatException($"an ld pairs input holds at least 12 bytes, got {bytes.Length}");
        }
        int maskBytes = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (maskBytes < 0 || bytes.Length < 12L + maskBytes)
        {
            throw new FormatException($"an ld pairs input of {bytes.Length} bytes cannot hold a {maskBytes}-byte mask");
        }
        byte[] mask = bytes.Slice(4, maskBytes).ToArray();
        int at = 4 + maskBytes;
        int own = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
        int total = BinaryPrimitives.ReadInt32LittleEndian(bytes[(at + 4)..]);
        at += 8;
        if (own < 0 || total < own || bytes.Length != at + 8L * total + 4L * own)
        {
            throw new FormatException($"an ld pairs input of {own} own and {total} listed variants cannot be {bytes.Length} bytes");
        }
        var variants = new long[total];
        for (int i = 0; i < total; i++, at += 8)
        {
            variants[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]);
            if (i > 0 && variants[i] <= variants[i - 1])
            {
                throw new FormatException("ld pairs input: variant indices must increase");
            }
        }
        var reach = new int[own];
        for (int i = 0; i < own; i++, at += 4)
        {
            reach[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
            if (reach[i] < 0 || i + (long)reach[i] >= total)
            {
                throw new FormatException($"ld pairs input: variant {i} reaches {reach[i]} entries past itself, beyond the {total} listed");
            }
        }
        return new LdPairsInput(mask, own, variants, reach);
    }
}
