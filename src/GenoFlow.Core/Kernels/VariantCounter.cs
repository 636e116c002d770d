using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Kernels;

/// <summary>
/// Counts the genotypes of one packed row (layout: <see cref="PackedGenotypes"/>) without unpacking it.
/// Per 2-bit code (hi, lo): hom REF = 11, het = 10, missing = 01, hom ALT = 00. With hi and lo split into two bit planes,
/// hom REF = popcount(hi &amp; lo), het = popcount(hi &amp; ~lo), missing = popcount(~hi &amp; lo), and hom ALT is the rest.
/// Zero trailing bits read as hom ALT, so the rest is taken over the real sample count.
/// </summary>
public static class VariantCounter
{
    private const ulong LowBits = 0x5555_5555_5555_5555UL;

    /// <summary>Counts a row whose trailing bits are zero (as every row GenoFlow produces).</summary>
    public static GenotypeCounts CountUnsafe(ReadOnlySpan<byte> row, int sampleCount)
    {
        Debug.Assert(row.Length == PackedGenotypes.RowBytes(sampleCount));
        (long homRef, long het, long missing) = Avx2.IsSupported && row.Length >= 32 ? CountAvx2(row) : CountScalar(row);
        return new GenotypeCounts(homRef, het, sampleCount - homRef - het - missing, missing);
    }

    /// <summary>The straightforward per-sample loop the fast paths are tested against.</summary>
    public static GenotypeCounts CountNaive(ReadOnlySpan<byte> row, int sampleCount)
    {
        Span<long> byCode = stackalloc long[4];
        for (int i = 0; i < sampleCount; i++)
        {
            byCode[PackedGenotypes.GetCode(row, i)]++;
        }
        return new GenotypeCounts(byCode[PackedGenotypes.HomRef], byCode[PackedGenotypes.Het], byCode[PackedGenotypes.HomAlt], byCode[PackedGenotypes.Missing]);
    }

    internal static (long HomRef, long Het, long Missing) CountScalar(ReadOnlySpan<byte> row)
    {
        long homRef = 0, het = 0, missing = 0;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(row);
        foreach (ulong w in words)
        {
            ulong lo = w & LowBits;
            ulong hi = (w >> 1) & LowBits;
            homRef += BitOperations.PopCount(hi & lo);
            het += BitOperations.PopCount(hi & ~lo);
            missing += BitOperations.PopCount(lo & ~hi);
        }
        ulong tail = 0;
        ReadOnlySpan<byte> rest = row[(words.Length * 8)..];
        for (int i = 0; i < rest.Length; i++)
        {
            tail |= (ulong)rest[i] << (8 * i);
        }
        ulong tailLo = tail & LowBits;
        ulong tailHi = (tail >> 1) & LowBits;
        homRef += BitOperations.PopCount(tailHi & tailLo);
        het += BitOperations.PopCount(tailHi & ~tailLo);
        missing += BitOperations.PopCount(tailLo & ~tailHi);
        return (homRef, het, missing);
    }

    /// <summary>
    /// AVX2 path: nibble-table popcount (Muła et al.) on 32-byte blocks, byte counters folded into 64-bit lanes with
    /// SAD before they can overflow (each block adds at most 8 per byte, so every 31 blocks), scalar tail.
    /// </summary>
    internal static (long HomRef, long Het, long Missing) CountAvx2(ReadOnlySpan<byte> row)
    {
        Vector256<byte> nibbleCounts = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        Vector256<byte> lowNibble = Vector256.Create((byte)0x0F);
        Vector256<byte> lowBits = Vector256.Create((byte)0x55);
        Vector256<ulong> homRefSum = Vector256<ulong>.Zero, hetSum = Vector256<ulong>.Zero, missingSum = Vector256<ulong>.Zero;
        ref byte start = ref MemoryMarshal.GetReference(row);
        int blocks = row.Length / 32;
        int block = 0;
        while (block < blocks)
        {
            int batchEnd = Math.Min(blocks, block + 31);
            Vector256<byte> homRef = Vector256<byte>.Zero, het = Vector256<byte>.Zero, missing = Vector256<byte>.Zero;
            for (; block < batchEnd; block++)
            {
                Vector256<byte> v = Vector256.LoadUnsafe(ref start, (nuint)(block * 32));
                Vector256<byte> lo = v & lowBits;
                // A 16-bit shift is one instruction; the bit it carries across bytes lands on bit 7, which the mask drops.
                Vector256<byte> hi = Vector256.ShiftRightLogical(v.AsUInt16(), 1).AsByte() & lowBits;
                homRef += PopCountBytes(hi & lo, nibbleCounts, lowNibble);
                het += PopCountBytes(Vector256.AndNot(hi, lo), nibbleCounts, lowNibble);
                missing += PopCountBytes(Vector256.AndNot(lo, hi), nibbleCounts, lowNibble);
            }
            homRefSum += Avx2.SumAbsoluteDifferences(homRef, Vector256<byte>.Zero).AsUInt64();
            hetSum += Avx2.SumAbsoluteDifferences(het, Vector256<byte>.Zero).AsUInt64();
            missingSum += Avx2.SumAbsoluteDifferences(missing, Vector256<byte>.Zero).AsUInt64();
        }
        (long tailHomRef, long tailHet, long tailMissing) = CountScalar(row[(blocks * 32)..]);
        return ((long)Vector256.Sum(homRefSum) + tailHomRef, (long)Vector256.Sum(hetSum) + tailHet, (long)Vector256.Sum(missingSum) + tailMissing);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> PopCountBytes(Vector256<byte> v, Vector256<byte> nibbleCounts, Vector256<byte> lowNibble) =>
        Avx2.Shuffle(nibbleCounts, v & lowNibble) + Avx2.Shuffle(nibbleCounts, Vector256.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & lowNibble);
}
