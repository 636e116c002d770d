using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Ld;

/// <summary>
/// One packed row (<see cref="PackedGenotypes"/>) split into bit planes over its counted samples, one bit per sample:
/// <see cref="Called"/>, <see cref="Hom"/> (hom REF or hom ALT) and <see cref="HomRef"/>, plus the counted samples that
/// are missing, kept sparsely (<see cref="MissingWordIndex"/>, <see cref="MissingWord"/>: only the words holding one).
/// In PLINK 2's r² coding (hom REF +1, het 0, hom ALT −1) x = HomRef − (Hom ∧ ¬HomRef), x² = Hom, so every sum over
/// jointly called samples is a few popcounts (as plink2_ld.cc does with its hom / ref2het planes).
/// </summary>
internal sealed class GenotypePlanes
{
    private const ulong EvenBits = 0x5555555555555555UL;

    private GenotypePlanes(int words)
    {
        Called = new ulong[words];
        Hom = new ulong[words];
        HomRef = new ulong[words];
    }

    public ulong[] Called { get; }

    public ulong[] Hom { get; }

    public ulong[] HomRef { get; }

    /// <summary>The words of the plane "counted and missing" that are not zero, by index (increasing).</summary>
    public int[] MissingWordIndex { get; private set; } = [];

    /// <summary>Those words' bits, in the order of <see cref="MissingWordIndex"/>.</summary>
    public ulong[] MissingWord { get; private set; } = [];

    private int CalledCount { get; set; }

    private int HomCount { get; set; }

    private int HomRefCount { get; set; }

    /// <summary>Planes of <paramref name="row"/> over the samples <paramref name="keepMask"/> keeps (all when empty).</summary>
    public static GenotypePlanes FromRow(ReadOnlySpan<byte> row, int sampleCount, ReadOnlySpan<byte> keepMask)
    {
        Debug.Assert(row.Length == PackedGenotypes.RowBytes(sampleCount) && (keepMask.IsEmpty || keepMask.Length == row.Length));
        int words = (sampleCount + 63) >> 6;
        var planes = new GenotypePlanes(words);
        Span<ulong> missing = words <= 1024 ? stackalloc ulong[words] : new ulong[words];
        int missingWords = 0;
        for (int w = 0; w < words; w++)
        {
            // 16 bytes of the row are 64 samples: low and high code bits of each, deinterleaved.
            int from = w << 4;
            ulong first = Chunk(row, from), second = Chunk(row, from + 8);
            ulong low = Even(first) | ((ulong)Even(second) << 32);
            ulong high = Even(first >> 1) | ((ulong)Even(second >> 1) << 32);
            ulong counted = keepMask.IsEmpty ? ulong.MaxValue : Even(Chunk(keepMask, from)) | ((ulong)Even(Chunk(keepMask, from + 8)) << 32);
            if (w == words - 1 && (sampleCount & 63) != 0)
            {
                // Trailing bits are code 0b00 (hom ALT); they are no samples.
                counted &= (1UL << (sampleCount & 63)) - 1;
            }
            ulong called = (high | ~low) & counted;
            planes.Called[w] = called;
            planes.Hom[w] = ~(low ^ high) & counted;
            planes.HomRef[w] = low & high & counted;
            missing[w] = counted & ~called;
            missingWords += missing[w] != 0 ? 1 : 0;
        }
        planes.MissingWordIndex = new int[missingWords];
        planes.MissingWord = new ulong[missingWords];
        for (int w = 0, k = 0; w < words; w++)
        {
            if (missing[w] != 0)
            {
                planes.MissingWordIndex[k] = w;
                planes.MissingWord[k++] = missing[w];
            }
        }
        planes.CalledCount = PopCount(planes.Called);
        planes.HomCount = PopCount(planes.Hom);
        planes.HomRefCount = PopCount(planes.HomRef);
        return planes;
    }

    /// <summary>(called, hom REF, hom ALT) over the counted samples.</summary>
    public (int Called, int HomRef, int HomAlt) Counts() => (CalledCount, HomRefCount, HomCount - HomRefCount);

    /// <summary>
    /// Adds (n, Σa, Σa², Σb, Σb², Σab) over the samples called in both to <paramref name="sums"/>. Σab needs the hom
    /// planes only (a missing genotype is never hom); the other sums are each variant's totals less what falls on the
    /// other's missing samples, which visits only the words where those lie (most words, with little missingness).
    /// </summary>
    public static void AddPairSums(GenotypePlanes a, GenotypePlanes b, Span<int> sums)
    {
        Debug.Assert(a.Called.Length == b.Called.Length);
        var (homBoth, unlike) = HomProducts(a, b);
        var (calledLost, homALost, refALost) = LostTo(a, b, withCalled: true);
        var (_, homBLost, refBLost) = LostTo(b, a, withCalled: false);
        int ssqA = a.HomCount - homALost, ssqB = b.HomCount - homBLost;
        sums[0] += a.CalledCount - calledLost;
        sums[1] += 2 * (a.HomRefCount - refALost) - ssqA;
        sums[2] += ssqA;
        sums[3] += 2 * (b.HomRefCount - refBLost) - ssqB;
        sums[4] += ssqB;
        sums[5] += homBoth - 2 * unlike;
    }

    /// <summary>
    /// The reference for <see cref="AddPairSums"/>: every sum over every word, masked by the jointly called samples.
    /// </summary>
    internal static void AddPairSumsReference(GenotypePlanes a, GenotypePlanes b, Span<int> sums)
    {
        int n = 0, sumA = 0, ssqA = 0, sumB = 0, ssqB = 0, homBoth = 0, unlike = 0;
        for (int w = 0; w < a.Called.Length; w++)
        {
            ulong both = a.Called[w] & b.Called[w];
            ulong homA = a.Hom[w] & both, homB = b.Hom[w] & both;
            ulong refA = a.HomRef[w] & both, refB = b.HomRef[w] & both;
            n += BitOperations.PopCount(both);
            ssqA += BitOperations.PopCount(homA);
            ssqB += BitOperations.PopCount(homB);
            sumA += 2 * BitOperations.PopCount(refA) - BitOperations.PopCount(homA);
            sumB += 2 * BitOperations.PopCount(refB) - BitOperations.PopCount(homB);
            ulong homAB = homA & homB;
            homBoth += BitOperations.PopCount(homAB);
            unlike += BitOperations.PopCount(homAB & (refA ^ refB));
        }
        sums[0] += n;
        sums[1] += sumA;
        sums[2] += ssqA;
        sums[3] += sumB;
        sums[4] += ssqB;
        sums[5] += homBoth - 2 * unlike;
    }

    /// <summary>The even bits of <paramref name="x"/> packed into 32 (BMI2's pext, or the shift-and-mask ladder without it).</summary>
    internal static uint Even(ulong x) => Bmi2.X64.IsSupported ? (uint)Bmi2.X64.ParallelBitExtract(x, EvenBits) : EvenPortable(x);

    internal static uint EvenPortable(ulong x)
    {
        x &= EvenBits;
        x = (x | (x >> 1)) & 0x3333333333333333UL;
        x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FUL;
        x = (x | (x >> 4)) & 0x00FF00FF00FF00FFUL;
        x = (x | (x >> 8)) & 0x0000FFFF0000FFFFUL;
        x = (x | (x >> 16)) & 0x00000000FFFFFFFFUL;
        return (uint)x;
    }

    /// <summary>(Σ hom in both, Σ hom in both with opposite homozygotes) over all words.</summary>
    private static (int HomBoth, int Unlike) HomProducts(GenotypePlanes a, GenotypePlanes b) =>
        Avx2.IsSupported ? HomProductsAvx2(a.Hom, b.Hom, a.HomRef, b.HomRef) : HomProductsScalar(a.Hom, b.Hom, a.HomRef, b.HomRef, 0);

    /// <summary>The scalar path of <see cref="HomProducts"/> from word <paramref name="from"/> on (the vector path's tail).</summary>
    internal static (int HomBoth, int Unlike) HomProductsScalar(ulong[] homA, ulong[] homB, ulong[] refA, ulong[] refB, int from)
    {
        ref ulong ha = ref MemoryMarshal.GetArrayDataReference(homA), hb = ref MemoryMarshal.GetArrayDataReference(homB);
        ref ulong ra = ref MemoryMarshal.GetArrayDataReference(refA), rb = ref MemoryMarshal.GetArrayDataReference(refB);
        int homBoth = 0, unlike = 0;
        for (int w = from; w < homA.Length; w++)
        {
            ulong both = Unsafe.Add(ref ha, w) & Unsafe.Add(ref hb, w);
            homBoth += BitOperations.PopCount(both);
            unlike += BitOperations.PopCount(both & (Unsafe.Add(ref ra, w) ^ Unsafe.Add(ref rb, w)));
        }
        return (homBoth, unlike);
    }

    /// <summary>
    /// AVX2 has no vector popcount: each byte is counted by two nibble lookups (vpshufb, Muła's method) into byte
    /// counters, which hold at most 8 per step and so are summed into 64-bit lanes (vpsadbw) every 31 steps. Four
    /// words a step; about 2.5x fewer instructions than scalar popcounts for the same counts.
    /// </summary>
    internal static (int HomBoth, int Unlike) HomProductsAvx2(ulong[] homA, ulong[] homB, ulong[] refA, ulong[] refB)
    {
        Debug.Assert(Avx2.IsSupported);
        Vector256<byte> table = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        Vector256<byte> lowNibbles = Vector256.Create((byte)0x0F);
        ref ulong ha = ref MemoryMarshal.GetArrayDataReference(homA), hb = ref MemoryMarshal.GetArrayDataReference(homB);
        ref ulong ra = ref MemoryMarshal.GetArrayDataReference(refA), rb = ref MemoryMarshal.GetArrayDataReference(refB);
        int vectors = homA.Length >> 2;
        Vector256<ulong> homTotal = Vector256<ulong>.Zero, unlikeTotal = Vector256<ulong>.Zero;
        for (int v = 0; v < vectors;)
        {
            Vector256<byte> homBytes = Vector256<byte>.Zero, unlikeBytes = Vector256<byte>.Zero;
            for (int end = Math.Min(vectors, v + 31); v < end; v++)
            {
                Vector256<byte> both = (Vector256.LoadUnsafe(ref ha, (nuint)(v << 2)) & Vector256.LoadUnsafe(ref hb, (nuint)(v << 2))).AsByte();
                Vector256<byte> opposite = both & (Vector256.LoadUnsafe(ref ra, (nuint)(v << 2)) ^ Vector256.LoadUnsafe(ref rb, (nuint)(v << 2))).AsByte();
                homBytes += Avx2.Shuffle(table, both & lowNibbles) + Avx2.Shuffle(table, Avx2.ShiftRightLogical(both.AsUInt16(), 4).AsByte() & lowNibbles);
                unlikeBytes += Avx2.Shuffle(table, opposite & lowNibbles) + Avx2.Shuffle(table, Avx2.ShiftRightLogical(opposite.AsUInt16(), 4).AsByte() & lowNibbles);
            }
            homTotal += Avx2.SumAbsoluteDifferences(homBytes, Vector256<byte>.Zero).AsUInt64();
            unlikeTotal += Avx2.SumAbsoluteDifferences(unlikeBytes, Vector256<byte>.Zero).AsUInt64();
        }
        var (tailHom, tailUnlike) = HomProductsScalar(homA, homB, refA, refB, vectors << 2);
        return ((int)Vector256.Sum(homTotal) + tailHom, (int)Vector256.Sum(unlikeTotal) + tailUnlike);
    }

    /// <summary><paramref name="of"/>'s called, hom and hom REF samples among <paramref name="missingIn"/>'s missing ones.</summary>
    private static (int Called, int Hom, int HomRef) LostTo(GenotypePlanes of, GenotypePlanes missingIn, bool withCalled)
    {
        int called = 0, hom = 0, homRef = 0;
        int[] index = missingIn.MissingWordIndex;
        ulong[] missing = missingIn.MissingWord;
        for (int k = 0; k < index.Length; k++)
        {
            int w = index[k];
            ulong m = missing[k];
            called += withCalled ? BitOperations.PopCount(of.Called[w] & m) : 0;
            hom += BitOperations.PopCount(of.Hom[w] & m);
            homRef += BitOperations.PopCount(of.HomRef[w] & m);
        }
        return (called, hom, homRef);
    }

    /// <summary>Eight bytes of <paramref name="bytes"/> from <paramref name="from"/> as a little-endian word, zeros past the end.</summary>
    private static ulong Chunk(ReadOnlySpan<byte> bytes, int from)
    {
        if (from + 8 <= bytes.Length)
        {
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[from..]);
        }
        Span<byte> tail = stackalloc byte[8];
        tail.Clear();
        if (from < bytes.Length)
        {
            bytes[from..].CopyTo(tail);
        }
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(tail);
    }

    private static int PopCount(ulong[] words)
    {
        int count = 0;
        foreach (ulong w in words)
        {
            count += BitOperations.PopCount(w);
        }
        return count;
    }
}
