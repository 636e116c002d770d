using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GenoFlow.Analysis.Ld;

/// <summary>
/// The partial result of <see cref="LdPairsOperation"/> for one tile, and its wire encoding (defined only here). Genotypes
/// are coded as PLINK 2 codes them for r²: hom REF +1, het 0, hom ALT −1. Per own variant, over the block's counted
/// samples: called, hom REF, hom ALT. Per pair (own variant i with each of its reach partners j, in input order), over
/// the samples called at both: n, Σx_i, Σx_i², Σx_j, Σx_j², Σx_i·x_j.
/// <code>
/// int32 own_count V, int32 pair_count P, int32[3V] (called, hom_ref, hom_alt), int32[6P] (n, sum_i, ssq_i, sum_j, ssq_j, dot)
/// </code>
/// Size: 8 + 12·V + 24·P bytes, with V ≤ variants_per_tile and P ≤ V·(window − 1) ≤ V·(<see cref="LdPruneSettings.MaxWindowVariants"/> − 1).
/// </summary>
public sealed record LdPairsPartial(int[] VariantCounts, int[] PairSums)
{
    public const int CountsPerVariant = 3;
    public const int SumsPerPair = 6;

    public int OwnCount => VariantCounts.Length / CountsPerVariant;

    public int PairCount => PairSums.Length / SumsPerPair;

    public static LdPairsPartial Empty(int own, int pairs) => new(new int[CountsPerVariant * own], new int[SumsPerPair * (long)pairs]);

    public byte[] Encode()
    {
        byte[] bytes = new byte[8 + 4L * (VariantCounts.Length + (long)PairSums.Length)];
        Span<byte> span = bytes;
        BinaryPrimitives.WriteInt32LittleEndian(span, OwnCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], PairCount);
        Write(VariantCounts, span[8..]);
        Write(PairSums, span[(8 + 4 * VariantCounts.Length)..]);
        return bytes;
    }

    /// <summary>Decodes <see cref="Encode"/>'s bytes; throws <see cref="FormatException"/> when the length does not match the header.</summary>
    public static LdPairsPartial Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            throw new FormatException($"an ld pairs partial holds at least 8 bytes, got {bytes.Length}");
        }
        int own = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        int pairs = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (own < 0 || pairs < 0 || bytes.Length != 8 + 4L * (CountsPerVariant * (long)own + SumsPerPair * (long)pairs))
        {
            throw new FormatException($"an ld pairs partial of {own} variants and {pairs} pairs cannot be {bytes.Length} bytes");
        }
        LdPairsPartial partial = Empty(own, pairs);
        Read(bytes[8..], partial.VariantCounts);
        Read(bytes[(8 + 4 * partial.VariantCounts.Length)..], partial.PairSums);
        return partial;
    }

    // A partial holds millions of sums: copied as one block where the machine is little-endian, as the wire is.
    private static void Write(int[] values, Span<byte> to)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(to);
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(to[(4 * i)..], values[i]);
        }
    }

    private static void Read(ReadOnlySpan<byte> from, int[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            from[..(4 * values.Length)].CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(from[(4 * i)..]);
        }
    }
}
