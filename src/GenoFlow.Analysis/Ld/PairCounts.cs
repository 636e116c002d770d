using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GenoFlow.Analysis.Ld;

/// <summary>
/// The popcounts of one variant pair over the bit planes of <see cref="GenotypePlanes"/>. Each variant's planes are
/// three runs of <c>stride</c> words, Hom (H), HomRef (R) and Called (C), zero past the last sample; stride is a
/// multiple of <see cref="StrideMultiple"/> (one 256-bit vector). <see cref="Full"/> counts, over every word at once:
/// <code>
/// [N] C_a∧C_b   [HomA] H_a∧C_b   [RefA] R_a∧C_b   [HomB] H_b∧C_a   [RefB] R_b∧C_a   [HomBoth] H_a∧H_b   [Unlike] H_a∧H_b∧(R_a⊕R_b)
/// </code>
/// (hom implies called, so H_a∧H_b is already jointly called). <see cref="HomProducts"/> counts only the last two,
/// which is all a pair needs when neither variant misses a sample. Every path (AVX-512, AVX2, scalar) gives the same
/// integers; the vector paths are chosen by what the machine has.
/// </summary>
internal static class PairCounts
{
    public const int N = 0, HomA = 1, RefA = 2, HomB = 3, RefB = 4, HomBoth = 5, Unlike = 6, Count = 7;

    /// <summary>Strides are whole 256-bit vectors, so the AVX2 loops need no tail.</summary>
    public const int StrideMultiple = 4;

    /// <summary>The AVX-512 loops take four 512-bit vectors a step; the words past the last whole group go to the AVX2 loop.</summary>
    private const int WordsPerGroup = 32;

    /// <summary>
    /// The stride for planes of <paramref name="words"/> words: whole groups of <see cref="WordsPerGroup"/>, since counting
    /// zero padding in a carry-save group is cheaper than the AVX2 loop over the same words (at 3,616 samples, 60 words:
    /// 44 ns a pair padded to 64, 58 ns as one group and a 28-word AVX2 tail); up to 8 words (512 samples), whole
    /// vectors, where one group would be mostly padding.
    /// </summary>
    public static int StrideFor(int words)
    {
        int multiple = words <= 8 ? StrideMultiple : WordsPerGroup;
        return Math.Max(StrideMultiple, (words + multiple - 1) / multiple * multiple);
    }

    public static void Full(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int stride, Span<int> counts)
    {
        if (Avx512BW.IsSupported)
        {
            FullAvx512(a, b, stride, counts);
        }
        else if (Avx2.IsSupported)
        {
            FullAvx2(a, b, stride, counts);
        }
        else
        {
            FullScalar(a, b, stride, counts);
        }
    }

    public static (int HomBoth, int Unlike) HomProducts(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int stride) =>
        Avx512BW.IsSupported ? HomProductsAvx512(a, b, stride)
        : Avx2.IsSupported ? HomProductsAvx2(a, b, stride)
        : HomProductsScalar(a, b, stride);

    internal static void FullScalar(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int stride, Span<int> counts)
    {
        Check(a, b, stride, counts);
        ReadOnlySpan<ulong> ha = a[..stride], ra = a.Slice(stride, stride), ca = a.Slice(2 * stride, stride);
        ReadOnlySpan<ulong> hb = b[..stride], rb = b.Slice(stride, stride), cb = b.Slice(2 * stride, stride);
        int n = 0, homA = 0, refA = 0, homB = 0, refB = 0;
        for (int w = 0; w < stride; w++)
        {
            n += BitOperations.PopCount(ca[w] & cb[w]);
            homA += BitOperations.PopCount(ha[w] & cb[w]);
            refA += BitOperations.PopCount(ra[w] & cb[w]);
            homB += BitOperations.PopCount(hb[w] & ca[w]);
            refB += BitOperations.PopCount(rb[w] & ca[w]);
        }
        (counts[HomBoth], counts[Unlike]) = HomProductsScalar(a, b, stride);
        (counts[N], counts[HomA], counts[RefA], counts[HomB], counts[RefB]) = (n, homA, refA, homB, refB);
    }

    internal static (int HomBoth, int Unlike) HomProductsScalar(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int stride)
    {
        ReadOnlySpan<ulong> ha = a[..stride], ra = a.Slice(stride, stride);
        ReadOnlySpan<ulong> hb = b[..stride], rb = b.Slice(stride, stride);
        int homBoth = 0, unlike = 0;
        for (int w = 0; w < stride; w++)
        {
            ulong both = ha[w] & hb[w];
            homBoth += BitOperations.PopCount(both);
            unlike += BitOperations.PopCount(both & (ra[w] ^ rb[w]));
        }
        return (homBoth, unlike);
    }

    /// <summary>
    /// AVX2 has no vector popcount: each byte is counted by two nibble lookups (vpshufb, Muła's method) into byte
    /// counters, which hold at most 8 per step and so are summed into 64-bit lanes (vpsadbw) every 31 steps.
    /// </summary>
    internal static void FullAvx2(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int stride, Span<int> counts)
    {
        counts[..Count].Clear();
        AddFullAvx2(a, b, stride, 0, counts);
    }

    /// <summary>Adds the counts over words [<paramref name="from"/>, stride), <paramref name="from"/> a multiple of <see cref="StrideMultiple"/>.</summary>
    private static void AddFullAvx2(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int stride, int from, Span<int> counts)
    {
        Check(a, b, stride, counts);
        Debug.Assert(Avx2.IsSupported && from % StrideMultiple == 0);
        ref ulong ha = ref MemoryMarshal.GetReference(a), hb = ref MemoryMarshal.GetReference(b);
        ref ulong ra = ref Unsafe.Add(ref ha, stride), rb = ref Unsafe.Add(ref hb, stride);
        ref ulong ca = ref Unsafe.Add(ref ra, stride), cb = ref Unsafe.Add(ref rb, stride);
        int vectors = stride / Vector256<ulong>.Count;
        Vector256<ulong> nTotal = default, homATotal = default, refATotal = default, homBTotal = default, refBTotal = default, bothTotal = default, unlikeTotal = default;
        for (int v = from / Vector256<ulong>.Count; v < vectors;)
        {
            Vector256<byte> nBytes = default, homABytes = default, refABytes = default, homBBytes = default, refBBytes = default, bothBytes = default, unlikeBytes = default;
            for (int end = Math.Min(vectors, v + 31); v < end; v++)
            {
                nuint at = (nuint)(v * Vector256<ulong>.Count);
                Vector256<ulong> calledA = Vector256.LoadUnsafe(ref ca, at), calledB = Vector256.LoadUnsafe(ref cb, at);
                Vector256<ulong> homA = Vector256.LoadUnsafe(ref ha, at), homB = Vector256.LoadUnsafe(ref hb, at);
                Vector256<ulong> refA = Vector256.LoadUnsafe(ref ra, at), refB = Vector256.LoadUnsafe(ref rb, at);
                Vector256<ulong> both = homA & homB;
                nBytes += ByteCounts(calledA & calledB);
                homABytes += ByteCounts(homA & calledB);
                refABytes += ByteCounts(refA & calledB);
                homBBytes += ByteCounts(homB & calledA);
                refBBytes += ByteCounts(refB & calledA);
                bothBytes += ByteCounts(both);
                unlikeBytes += ByteCounts(both & (refA ^ refB));
            }
            nTotal += SumBytes(nBytes);
            homATotal += SumBytes(homABytes);
            refATotal += SumBytes(refABytes);
            homBTotal += SumBytes(homBBytes);
            refBTotal += SumBytes(refBBytes);
            bothTotal += SumBytes(bothBytes);
            unlikeTotal += SumBytes(unlikeBytes);
        }
        counts[N] += (int)Vector256.Sum(nTotal);
        counts[HomA] += (int)Vector256.Sum(homATotal);
        counts[RefA] += (int)Vector256.Sum(refATotal);
        counts[HomB] += (int)Vector256.Sum(homBTotal);
        counts[RefB] += (int)Vector256.Sum(refBTotal);
        counts[HomBoth] += (int)Vector256.Sum(bothTotal);
        counts[Unlike] += (int)Vector256.Sum(unlikeTotal);
    }

    /// <summary>The hom products over words [<paramref name="from"/>, stride), <paramref name="from"/> a multiple of <see cref="StrideMultiple"/>.</summary>
    internal static (int HomBoth, int Unlike) HomProductsAvx2(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int stride, int from = 0)
    {
        Debug.Assert(Avx2.IsSupported && stride % StrideMultiple == 0 && from % StrideMultiple == 0 && a.Length >= 2 * stride && b.Length >= 2 * stride);
        ref ulong ha = ref MemoryMarshal.GetReference(a), hb = ref MemoryMarshal.GetReference(b);
        ref ulong ra = ref Unsafe.Add(ref ha, stride), rb = ref Unsafe.Add(ref hb, stride);
        int vectors = stride / Vector256<ulong>.Count;
        Vector256<ulong> bothTotal = default, unlikeTotal = default;
        for (int v = from / Vector256<ulong>.Count; v < vectors;)
        {
            Vector256<byte> bothBytes = default, unlikeBytes = default;
            for (int end = Math.Min(vectors, v + 31); v < end; v++)
            {
                nuint at = (nuint)(v * Vector256<ulong>.Count);
                Vector256<ulong> both = Vector256.LoadUnsafe(ref ha, at) & Vector256.LoadUnsafe(ref hb, at);
                bothBytes += ByteCounts(both);
                unlikeBytes += ByteCounts(both & (Vector256.LoadUnsafe(ref ra, at) ^ Vector256.LoadUnsafe(ref rb, at)));
            }
            bothTotal += SumBytes(bothBytes);
            unlikeTotal += SumBytes(unlikeBytes);
        }
        return ((int)Vector256.Sum(bothTotal), (int)Vector256.Sum(unlikeTotal));
    }

    /// <summary>
    /// AVX-512 (BW for the 64-byte nibble lookup; .NET 10 exposes no VPOPCNTQ): a Harley–Seal carry-save adder per
    /// count, as plink2's popcount_vecs does, so four vectors of a count cost one nibble-lookup popcount plus three
    /// carry-save steps (two vpternlogq each). Per count: ones and twos are the adder's running bits, fours the sum of
    /// the popcounts of its carries out; the total is 4·fours + 2·popcount(twos) + popcount(ones). The 21 running
    /// vectors are locals, not a struct, so that the JIT keeps them in the 32 zmm registers. Words past the last whole
    /// group (fewer than 32) are counted by the AVX2 loop.
    /// </summary>
    internal static void FullAvx512(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int stride, Span<int> counts)
    {
        Check(a, b, stride, counts);
        Debug.Assert(Avx512BW.IsSupported);
        ref ulong ha = ref MemoryMarshal.GetReference(a), hb = ref MemoryMarshal.GetReference(b);
        ref ulong ra = ref Unsafe.Add(ref ha, stride), rb = ref Unsafe.Add(ref hb, stride);
        ref ulong ca = ref Unsafe.Add(ref ra, stride), cb = ref Unsafe.Add(ref rb, stride);
        Vector512<ulong> n1 = default, n2 = default, n4 = default, homA1 = default, homA2 = default, homA4 = default;
        Vector512<ulong> refA1 = default, refA2 = default, refA4 = default, homB1 = default, homB2 = default, homB4 = default;
        Vector512<ulong> refB1 = default, refB2 = default, refB4 = default, both1 = default, both2 = default, both4 = default;
        Vector512<ulong> unlike1 = default, unlike2 = default, unlike4 = default;
        int w = 0;
        for (; w + WordsPerGroup <= stride; w += WordsPerGroup)
        {
            Vector512<ulong> ca0 = Load(ref ca, w, 0), ca1 = Load(ref ca, w, 1), ca2 = Load(ref ca, w, 2), ca3 = Load(ref ca, w, 3);
            Vector512<ulong> cb0 = Load(ref cb, w, 0), cb1 = Load(ref cb, w, 1), cb2 = Load(ref cb, w, 2), cb3 = Load(ref cb, w, 3);
            (n1, n2, n4) = Add(n1, n2, n4, ca0 & cb0, ca1 & cb1, ca2 & cb2, ca3 & cb3);
            (homA1, homA2, homA4) = Add(homA1, homA2, homA4, Load(ref ha, w, 0) & cb0, Load(ref ha, w, 1) & cb1, Load(ref ha, w, 2) & cb2, Load(ref ha, w, 3) & cb3);
            (refA1, refA2, refA4) = Add(refA1, refA2, refA4, Load(ref ra, w, 0) & cb0, Load(ref ra, w, 1) & cb1, Load(ref ra, w, 2) & cb2, Load(ref ra, w, 3) & cb3);
            (homB1, homB2, homB4) = Add(homB1, homB2, homB4, Load(ref hb, w, 0) & ca0, Load(ref hb, w, 1) & ca1, Load(ref hb, w, 2) & ca2, Load(ref hb, w, 3) & ca3);
            (refB1, refB2, refB4) = Add(refB1, refB2, refB4, Load(ref rb, w, 0) & ca0, Load(ref rb, w, 1) & ca1, Load(ref rb, w, 2) & ca2, Load(ref rb, w, 3) & ca3);
            Vector512<ulong> b0 = Both(ref ha, ref hb, w, 0), b1 = Both(ref ha, ref hb, w, 1), b2 = Both(ref ha, ref hb, w, 2), b3 = Both(ref ha, ref hb, w, 3);
            (both1, both2, both4) = Add(both1, both2, both4, b0, b1, b2, b3);
            (unlike1, unlike2, unlike4) = Add(unlike1, unlike2, unlike4, Opposite(b0, ref ra, ref rb, w, 0), Opposite(b1, ref ra, ref rb, w, 1), Opposite(b2, ref ra, ref rb, w, 2), Opposite(b3, ref ra, ref rb, w, 3));
        }
        counts[N] = Total(n1, n2, n4);
        counts[HomA] = Total(homA1, homA2, homA4);
        counts[RefA] = Total(refA1, refA2, refA4);
        counts[HomB] = Total(homB1, homB2, homB4);
        counts[RefB] = Total(refB1, refB2, refB4);
        counts[HomBoth] = Total(both1, both2, both4);
        counts[Unlike] = Total(unlike1, unlike2, unlike4);
        if (w < stride)
        {
            AddFullAvx2(a, b, stride, w, counts);
        }
    }

    internal static (int HomBoth, int Unlike) HomProductsAvx512(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int stride)
    {
        Debug.Assert(Avx512BW.IsSupported && stride % StrideMultiple == 0 && a.Length >= 2 * stride && b.Length >= 2 * stride);
        ref ulong ha = ref MemoryMarshal.GetReference(a), hb = ref MemoryMarshal.GetReference(b);
        ref ulong ra = ref Unsafe.Add(ref ha, stride), rb = ref Unsafe.Add(ref hb, stride);
        Vector512<ulong> both1 = default, both2 = default, both4 = default, unlike1 = default, unlike2 = default, unlike4 = default;
        int w = 0;
        for (; w + WordsPerGroup <= stride; w += WordsPerGroup)
        {
            Vector512<ulong> b0 = Both(ref ha, ref hb, w, 0), b1 = Both(ref ha, ref hb, w, 1), b2 = Both(ref ha, ref hb, w, 2), b3 = Both(ref ha, ref hb, w, 3);
            (both1, both2, both4) = Add(both1, both2, both4, b0, b1, b2, b3);
            (unlike1, unlike2, unlike4) = Add(unlike1, unlike2, unlike4, Opposite(b0, ref ra, ref rb, w, 0), Opposite(b1, ref ra, ref rb, w, 1), Opposite(b2, ref ra, ref rb, w, 2), Opposite(b3, ref ra, ref rb, w, 3));
        }
        var (tailBoth, tailUnlike) = w < stride ? HomProductsAvx2(a, b, stride, w) : default;
        return (Total(both1, both2, both4) + tailBoth, Total(unlike1, unlike2, unlike4) + tailUnlike);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Both(ref ulong ha, ref ulong hb, int w, int k) => Load(ref ha, w, k) & Load(ref hb, w, k);

    /// <summary>both ∧ (ref_a ⊕ ref_b) in one vpternlogq (0x60 = A ∧ (B ⊕ C)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Opposite(Vector512<ulong> both, ref ulong ra, ref ulong rb, int w, int k) =>
        Avx512F.TernaryLogic(both, Load(ref ra, w, k), Load(ref rb, w, k), 0x60);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Load(ref ulong plane, int w, int k) => Vector512.LoadUnsafe(ref plane, (nuint)(w + k * Vector512<ulong>.Count));

    /// <summary>
    /// One Harley–Seal step over four vectors: <paramref name="ones"/> and <paramref name="twos"/> are the adder's running
    /// bits, <paramref name="fours"/> the 64-bit lane sums of the popcounts of its carries out. vpternlogq 0xE8 is the
    /// majority of its three inputs (the carry), 0x96 their exclusive or (the sum).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<ulong> Ones, Vector512<ulong> Twos, Vector512<ulong> Fours) Add(Vector512<ulong> ones, Vector512<ulong> twos, Vector512<ulong> fours,
        Vector512<ulong> x0, Vector512<ulong> x1, Vector512<ulong> x2, Vector512<ulong> x3)
    {
        Vector512<ulong> carry0 = Avx512F.TernaryLogic(ones, x0, x1, 0xE8);
        Vector512<ulong> sum0 = Avx512F.TernaryLogic(ones, x0, x1, 0x96);
        Vector512<ulong> carry1 = Avx512F.TernaryLogic(sum0, x2, x3, 0xE8);
        Vector512<ulong> carry2 = Avx512F.TernaryLogic(twos, carry0, carry1, 0xE8);
        return (Avx512F.TernaryLogic(sum0, x2, x3, 0x96), Avx512F.TernaryLogic(twos, carry0, carry1, 0x96),
            fours + Avx512BW.SumAbsoluteDifferences(ByteCounts(carry2), Vector512<byte>.Zero).AsUInt64());
    }

    private static int Total(Vector512<ulong> ones, Vector512<ulong> twos, Vector512<ulong> fours) =>
        (int)Vector512.Sum((fours << 2)
            + (Avx512BW.SumAbsoluteDifferences(ByteCounts(twos), Vector512<byte>.Zero).AsUInt64() << 1)
            + Avx512BW.SumAbsoluteDifferences(ByteCounts(ones), Vector512<byte>.Zero).AsUInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> ByteCounts(Vector512<ulong> x)
    {
        Vector512<byte> table = Vector512.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        Vector512<byte> lowNibbles = Vector512.Create((byte)0x0F);
        Vector512<byte> bytes = x.AsByte();
        return Avx512BW.Shuffle(table, bytes & lowNibbles) + Avx512BW.Shuffle(table, (x >>> 4).AsByte() & lowNibbles);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> ByteCounts(Vector256<ulong> x)
    {
        Vector256<byte> table = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        Vector256<byte> lowNibbles = Vector256.Create((byte)0x0F);
        return Avx2.Shuffle(table, x.AsByte() & lowNibbles) + Avx2.Shuffle(table, (x >>> 4).AsByte() & lowNibbles);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> SumBytes(Vector256<byte> bytes) => Avx2.SumAbsoluteDifferences(bytes, Vector256<byte>.Zero).AsUInt64();

    [Conditional("DEBUG")]
    private static void Check(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int stride, Span<int> counts) =>
        Debug.Assert(stride % StrideMultiple == 0 && a.Length >= 3 * stride && b.Length >= 3 * stride && counts.Length >= Count);
}
