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
/// A partial is millions of sums (2.7 MB for a tile of 2,273 variants and a window of 50), so the operation fills them
/// in the encoded bytes themselves and the coordinator adds them from the bytes it received: copying them into arrays
/// on both sides took three fresh large arrays per tile, and their page faults cost more CPU than the copies.
/// </summary>
public sealed class LdPairsPartial
{
    public const int CountsPerVariant = 3;
    public const int SumsPerPair = 6;

    private byte[]? _bytes;

    private LdPairsPartial(byte[] bytes, int own, int pairs) => (_bytes, OwnCount, PairCount) = (bytes, own, pairs);

    public int OwnCount { get; }

    public int PairCount { get; }

    /// <summary>Per own variant: called, hom REF, hom ALT.</summary>
    public Span<int> VariantCounts => Ints(8, CountsPerVariant * OwnCount);

    /// <summary>Per pair: n, Σx_i, Σx_i², Σx_j, Σx_j², Σx_i·x_j.</summary>
    public Span<int> PairSums => Ints(8 + 4 * CountsPerVariant * OwnCount, SumsPerPair * PairCount);

    /// <summary>A partial of <paramref name="own"/> variants and <paramref name="pairs"/> pairs, every count zero.</summary>
    public static LdPairsPartial Empty(int own, int pairs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(own);
        ArgumentOutOfRangeException.ThrowIfNegative(pairs);
        byte[] bytes = new byte[checked(8 + 4 * (CountsPerVariant * own + SumsPerPair * pairs))];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, own);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), pairs);
        return new LdPairsPartial(bytes, own, pairs);
    }

    /// <summary>The encoded bytes. They are this partial's own buffer: the partial cannot be used afterwards.</summary>
    public byte[] Encode()
    {
        byte[] bytes = _bytes ?? throw new InvalidOperationException("an ld pairs partial is encoded once");
        _bytes = null;
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> values = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(8));
            BinaryPrimitives.ReverseEndianness(values, values);
        }
        return bytes;
    }

    /// <summary>
    /// Reads encoded bytes into <paramref name="counts"/> and <paramref name="sums"/> (each at least the partial's
    /// length): copied when <paramref name="first"/>, added otherwise. Returns (own variants, pairs); throws
    /// <see cref="FormatException"/> when the length does not match the header.
    /// </summary>
    public static (int Own, int Pairs) AddTo(ReadOnlySpan<byte> bytes, Span<int> counts, Span<int> sums, bool first)
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
        if (counts.Length < CountsPerVariant * own || sums.Length < SumsPerPair * (long)pairs)
        {
            throw new FormatException($"an ld pairs partial of {own} variants and {pairs} pairs is larger than its tile's");
        }
        Add(bytes.Slice(8, 4 * CountsPerVariant * own), counts[..(CountsPerVariant * own)], first);
        Add(bytes[(8 + 4 * CountsPerVariant * own)..], sums[..(SumsPerPair * pairs)], first);
        return (own, pairs);
    }

    private static void Add(ReadOnlySpan<byte> from, Span<int> to, bool first)
    {
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < to.Length; i++)
            {
                to[i] = (first ? 0 : to[i]) + BinaryPrimitives.ReadInt32LittleEndian(from[(4 * i)..]);
            }
            return;
        }
        ReadOnlySpan<int> values = MemoryMarshal.Cast<byte, int>(from);
        if (first)
        {
            values.CopyTo(to);
            return;
        }
        for (int i = 0; i < to.Length; i++)
        {
            to[i] += values[i];
        }
    }

    private Span<int> Ints(int offset, int count) =>
        MemoryMarshal.Cast<byte, int>((_bytes ?? throw new InvalidOperationException("an ld pairs partial is encoded once")).AsSpan(offset, 4 * count));
}
