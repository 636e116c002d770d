using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Kernels;

/// <summary>
/// Per-sample genotype counts over a run of packed rows (layout: <see cref="PackedGenotypes"/>), e.g. one tile: for each
/// sample, how many of the rows are missing, het and hom ALT (hom REF is the row count minus the rest). The rows lie back
/// to back, <c>RowBytes(sampleCount)</c> bytes each. Trailing bits are never read into a count, so no precondition on them.
/// </summary>
public static class SampleCounter
{
    /// <summary>Rows per batch of byte counters before they are widened (a byte counter holds at most 255).</summary>
    private const int BatchRows = 255;

    /// <summary>Adds each sample's missing, het and hom-ALT counts over <paramref name="rowCount"/> rows to the spans.</summary>
    public static void Accumulate(ReadOnlySpan<byte> rows, int rowCount, int sampleCount, Span<int> missing, Span<int> het, Span<int> homAlt)
    {
        Check(rows, rowCount, sampleCount, missing, het, homAlt);
        int stride = PackedGenotypes.RowBytes(sampleCount);
        // Only whole 128-sample chunks go through the vector path, so it never counts past the last sample.
        int vectorBytes = Avx2.IsSupported ? sampleCount / 128 * 32 : 0;
        if (vectorBytes > 0)
        {
            AccumulateAvx2(rows, rowCount, stride, vectorBytes, missing, het, homAlt);
        }
        AccumulateScalar(rows, rowCount, stride, vectorBytes * 4, sampleCount, missing, het, homAlt);
    }

    /// <summary>The straightforward per-genotype loop the fast paths are tested against.</summary>
    public static void AccumulateNaive(ReadOnlySpan<byte> rows, int rowCount, int sampleCount, Span<int> missing, Span<int> het, Span<int> homAlt)
    {
        Check(rows, rowCount, sampleCount, missing, het, homAlt);
        int stride = PackedGenotypes.RowBytes(sampleCount);
        for (int r = 0; r < rowCount; r++)
        {
            ReadOnlySpan<byte> row = rows.Slice(r * stride, stride);
            for (int s = 0; s < sampleCount; s++)
            {
                switch (PackedGenotypes.GetCode(row, s))
                {
                    case PackedGenotypes.Missing: missing[s]++; break;
                    case PackedGenotypes.Het: het[s]++; break;
                    case PackedGenotypes.HomAlt: homAlt[s]++; break;
                    default: break;
                }
            }
        }
    }

    /// <summary>Scalar path for samples [<paramref name="firstSample"/>, <paramref name="sampleCount"/>), a byte (4 samples) at a time.</summary>
    internal static void AccumulateScalar(ReadOnlySpan<byte> rows, int rowCount, int stride, int firstSample, int sampleCount, Span<int> missing, Span<int> het, Span<int> homAlt)
    {
        Debug.Assert(firstSample % 4 == 0);
        for (int r = 0; r < rowCount; r++)
        {
            ReadOnlySpan<byte> row = rows.Slice(r * stride, stride);
            for (int s = firstSample; s < sampleCount; s += 4)
            {
                int b = row[s >> 2];
                int end = Math.Min(4, sampleCount - s);
                for (int k = 0; k < end; k++, b >>= 2)
                {
                    int code = b & 3;
                    missing[s + k] += code == PackedGenotypes.Missing ? 1 : 0;
                    het[s + k] += code == PackedGenotypes.Het ? 1 : 0;
                    homAlt[s + k] += code == PackedGenotypes.HomAlt ? 1 : 0;
                }
            }
        }
    }

    /// <summary>
    /// AVX2 path over the first <paramref name="vectorBytes"/> bytes of each row (a multiple of 32; 128 samples per
    /// 32 bytes). A 32-byte chunk expands into four vectors of 2-bit codes, vector k holding sample 4i+k at byte i; equal
    /// compares (-1 per match) are subtracted into twelve byte counters, widened into the int counts every 255 rows.
    /// </summary>
    internal static void AccumulateAvx2(ReadOnlySpan<byte> rows, int rowCount, int stride, int vectorBytes, Span<int> missing, Span<int> het, Span<int> homAlt)
    {
        Debug.Assert(vectorBytes % 32 == 0 && vectorBytes <= stride && missing.Length >= vectorBytes * 4);
        ref byte start = ref MemoryMarshal.GetReference(rows);
        Vector256<byte> three = Vector256.Create((byte)3);
        Vector256<byte> missingCode = Vector256.Create(PackedGenotypes.Missing);
        Vector256<byte> hetCode = Vector256.Create(PackedGenotypes.Het);
        Span<byte> spill = stackalloc byte[12 * 32];
        for (int offset = 0; offset < vectorBytes; offset += 32)
        {
            for (int first = 0; first < rowCount; first += BatchRows)
            {
                int end = Math.Min(rowCount, first + BatchRows);
                Vector256<byte> m0 = default, m1 = default, m2 = default, m3 = default;
                Vector256<byte> h0 = default, h1 = default, h2 = default, h3 = default;
                Vector256<byte> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int r = first; r < end; r++)
                {
                    Vector256<byte> v = Vector256.LoadUnsafe(ref start, (nuint)((long)r * stride + offset));
                    // A 16-bit shift carries bits of the next byte into bits 6-7 only; the mask keeps bits 0-1.
                    Vector256<byte> c0 = v & three;
                    Vector256<byte> c1 = Vector256.ShiftRightLogical(v.AsUInt16(), 2).AsByte() & three;
                    Vector256<byte> c2 = Vector256.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & three;
                    Vector256<byte> c3 = Vector256.ShiftRightLogical(v.AsUInt16(), 6).AsByte() & three;
                    m0 -= Vector256.Equals(c0, missingCode); h0 -= Vector256.Equals(c0, hetCode); a0 -= Vector256.Equals(c0, Vector256<byte>.Zero);
                    m1 -= Vector256.Equals(c1, missingCode); h1 -= Vector256.Equals(c1, hetCode); a1 -= Vector256.Equals(c1, Vector256<byte>.Zero);
                    m2 -= Vector256.Equals(c2, missingCode); h2 -= Vector256.Equals(c2, hetCode); a2 -= Vector256.Equals(c2, Vector256<byte>.Zero);
                    m3 -= Vector256.Equals(c3, missingCode); h3 -= Vector256.Equals(c3, hetCode); a3 -= Vector256.Equals(c3, Vector256<byte>.Zero);
                }
                Store(spill, 0, m0, m1, m2, m3);
                Store(spill, 4, h0, h1, h2, h3);
                Store(spill, 8, a0, a1, a2, a3);
                Widen(spill[..128], missing.Slice(offset * 4, 128));
                Widen(spill.Slice(128, 128), het.Slice(offset * 4, 128));
                Widen(spill.Slice(256, 128), homAlt.Slice(offset * 4, 128));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Span<byte> spill, int vector, Vector256<byte> k0, Vector256<byte> k1, Vector256<byte> k2, Vector256<byte> k3)
    {
        k0.CopyTo(spill[(vector * 32)..]);
        k1.CopyTo(spill[((vector + 1) * 32)..]);
        k2.CopyTo(spill[((vector + 2) * 32)..]);
        k3.CopyTo(spill[((vector + 3) * 32)..]);
    }

    /// <summary>Adds four 32-byte counter vectors (vector k, byte i = sample 4i+k) to 128 int counts.</summary>
    private static void Widen(ReadOnlySpan<byte> counters, Span<int> counts)
    {
        for (int k = 0; k < 4; k++)
        {
            ReadOnlySpan<byte> vector = counters.Slice(k * 32, 32);
            for (int i = 0; i < 32; i++)
            {
                counts[4 * i + k] += vector[i];
            }
        }
    }

    private static void Check(ReadOnlySpan<byte> rows, int rowCount, int sampleCount, Span<int> missing, Span<int> het, Span<int> homAlt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        if (rows.Length != (long)rowCount * PackedGenotypes.RowBytes(sampleCount))
        {
            throw new ArgumentException($"{rows.Length} bytes do not hold {rowCount} rows of {sampleCount} samples", nameof(rows));
        }
        if (missing.Length != sampleCount || het.Length != sampleCount || homAlt.Length != sampleCount)
        {
            throw new ArgumentException($"count spans must hold {sampleCount} samples (missing {missing.Length}, het {het.Length}, hom ALT {homAlt.Length})");
        }
    }
}
