using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Ld;

/// <summary>
/// Packed rows (<see cref="PackedGenotypes"/>) of some variants over the same samples, split into bit planes over the
/// counted samples, one bit per sample: Hom (hom REF or hom ALT), HomRef and Called. In PLINK 2's r² coding (hom REF
/// +1, het 0, hom ALT −1) x = HomRef − (Hom ∧ ¬HomRef) and x² = Hom, so every sum over jointly called samples is a few
/// popcounts (as plink2_ld.cc does with its hom / ref2het planes; <see cref="PairCounts"/>). All variants' planes share
/// one pooled buffer: variant v's three planes are runs of <see cref="Stride"/> words from 3·v·Stride, zero past the
/// last sample, so the vector loops run over whole vectors with no tail and no per-variant allocation (the planes of a
/// 20,000-sample tile of 2,273 variants are 7 MB; as separate arrays they cost more in garbage collection than the
/// popcounts took).
/// </summary>
internal sealed class GenotypePlanes : IDisposable
{
    private const ulong EvenBits = 0x5555555555555555UL;

    private readonly int _sampleCount;
    private readonly int[] _called, _hom, _homRef, _counted;
    private ulong[]? _words;

    /// <summary>Room for <paramref name="variants"/> variants of <paramref name="sampleCount"/> samples; fill each with <see cref="Fill"/> before use.</summary>
    public GenotypePlanes(int variants, int sampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variants);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        _sampleCount = sampleCount;
        int words = (sampleCount + 63) >> 6;
        Stride = PairCounts.StrideFor(words);
        _words = ArrayPool<ulong>.Shared.Rent(checked(3 * Stride * variants));
        _called = new int[variants];
        _hom = new int[variants];
        _homRef = new int[variants];
        _counted = new int[variants];
    }

    /// <summary>Words per plane: the samples' words rounded up as <see cref="PairCounts.StrideFor"/> says.</summary>
    public int Stride { get; }

    /// <summary>Variant <paramref name="variant"/>'s planes: Hom, HomRef and Called, <see cref="Stride"/> words each.</summary>
    public ReadOnlySpan<ulong> Planes(int variant) => Words.AsSpan(3 * Stride * variant, 3 * Stride);

    private ulong[] Words => _words ?? throw new ObjectDisposedException(nameof(GenotypePlanes));

    /// <summary>
    /// Variant <paramref name="variant"/>'s planes from <paramref name="row"/>, over the samples <paramref name="keepMask"/>
    /// keeps (all when empty).
    /// </summary>
    public void Fill(int variant, ReadOnlySpan<byte> row, ReadOnlySpan<byte> keepMask) =>
        Fill(variant, row, keepMask, vector: Gfni.V512.IsSupported && Avx512BW.IsSupported);

    /// <summary><see cref="Fill(int, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> with the AVX-512 path or without it (tests run both).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Fill(int variant, ReadOnlySpan<byte> row, ReadOnlySpan<byte> keepMask, bool vector)
    {
        if (row.Length != PackedGenotypes.RowBytes(_sampleCount) || (!keepMask.IsEmpty && keepMask.Length != row.Length))
        {
            throw new ArgumentException($"a row of {_sampleCount} samples is {PackedGenotypes.RowBytes(_sampleCount)} bytes (and so is a keep mask); got {row.Length} and {keepMask.Length}", nameof(row));
        }
        Span<ulong> planes = Words.AsSpan(3 * Stride * variant, 3 * Stride);
        Span<ulong> hom = planes[..Stride], homRef = planes.Slice(Stride, Stride), called = planes.Slice(2 * Stride, Stride);
        int words = (_sampleCount + 63) >> 6, fullWords = _sampleCount >> 6;
        int calledCount = 0, homCount = 0, homRefCount = 0, countedCount = 0;
        int w = 0;
        if (vector)
        {
            Debug.Assert(Gfni.V512.IsSupported && Avx512BW.IsSupported);
            w = FillAvx512(row, keepMask, fullWords, hom, homRef, called);
            for (int v = 0; v < w; v++)
            {
                calledCount += BitOperations.PopCount(called[v]);
                homCount += BitOperations.PopCount(hom[v]);
                homRefCount += BitOperations.PopCount(homRef[v]);
            }
            countedCount = keepMask.IsEmpty ? 64 * w : EvenCount(keepMask[..(16 * w)]);
        }
        for (; w < words; w++)
        {
            // 16 bytes of the row are 64 samples: low and high code bits of each, deinterleaved.
            bool full = w < fullWords;
            ulong first = full ? Read(row, w << 4) : Chunk(row, w << 4), second = full ? Read(row, (w << 4) + 8) : Chunk(row, (w << 4) + 8);
            ulong low = Even(first) | ((ulong)Even(second) << 32);
            ulong high = Even(first >> 1) | ((ulong)Even(second >> 1) << 32);
            ulong counted = keepMask.IsEmpty ? ulong.MaxValue
                : full ? Even(Read(keepMask, w << 4)) | ((ulong)Even(Read(keepMask, (w << 4) + 8)) << 32)
                : Even(Chunk(keepMask, w << 4)) | ((ulong)Even(Chunk(keepMask, (w << 4) + 8)) << 32);
            if (!full)
            {
                // Trailing bits are code 0b00 (hom ALT); they are no samples.
                counted &= (1UL << (_sampleCount & 63)) - 1;
            }
            ulong c = (high | ~low) & counted, h = ~(low ^ high) & counted, r = low & high & counted;
            called[w] = c;
            hom[w] = h;
            homRef[w] = r;
            calledCount += BitOperations.PopCount(c);
            homCount += BitOperations.PopCount(h);
            homRefCount += BitOperations.PopCount(r);
            countedCount += BitOperations.PopCount(counted);
        }
        hom[words..].Clear();
        homRef[words..].Clear();
        called[words..].Clear();
        (_called[variant], _hom[variant], _homRef[variant], _counted[variant]) = (calledCount, homCount, homRefCount, countedCount);
    }

    /// <summary>
    /// The planes' words [0, 4·⌊<paramref name="fullWords"/>/4⌋) with AVX-512 and GFNI, 256 samples (64 bytes) a step:
    /// vgf2p8affineqb moves each byte's even bits (its four codes' low bits) to its low nibble and its odd bits to its
    /// high nibble, vpmaddubsw joins the nibbles of each pair of bytes and vpmovwb packs the pairs into 32 bytes, four
    /// plane words. About a quarter of the instructions of four pext a word. Returns the words filled.
    /// </summary>
    private static int FillAvx512(ReadOnlySpan<byte> row, ReadOnlySpan<byte> keepMask, int fullWords, Span<ulong> hom, Span<ulong> homRef, Span<ulong> called)
    {
        ref byte rowBytes = ref MemoryMarshal.GetReference(row), keepBytes = ref MemoryMarshal.GetReference(keepMask);
        int w = 0;
        for (; w + 4 <= fullWords; w += 4)
        {
            var (low, high) = SplitCodes(Vector512.LoadUnsafe(ref rowBytes, (nuint)(16 * w)));
            Vector256<ulong> counted = keepMask.IsEmpty ? Vector256<ulong>.AllBitsSet : SplitCodes(Vector512.LoadUnsafe(ref keepBytes, (nuint)(16 * w))).Low;
            ((high | ~low) & counted).CopyTo(called[w..]);
            (~(low ^ high) & counted).CopyTo(hom[w..]);
            (low & high & counted).CopyTo(homRef[w..]);
        }
        return w;
    }

    /// <summary>The low and the high bits of the 256 two-bit codes in <paramref name="bytes"/>, one bit per code, in code order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<ulong> Low, Vector256<ulong> High) SplitCodes(Vector512<byte> bytes)
    {
        // Row j of the bit matrix (byte 7 − j of the qword) picks the source bit of result bit j: 0, 2, 4, 6, 1, 3, 5, 7.
        Vector512<byte> split = Vector512.Create(0x0104104002082080UL).AsByte();
        Vector512<byte> nibble = Vector512.Create((byte)0x0F);
        Vector512<sbyte> pairs = Vector512.Create((short)0x1001).AsSByte();
        Vector512<byte> nibbles = Gfni.V512.GaloisFieldAffineTransform(bytes, split, 0);
        Vector512<short> low = Avx512BW.MultiplyAddAdjacent(nibbles & nibble, pairs);
        Vector512<short> high = Avx512BW.MultiplyAddAdjacent((nibbles.AsUInt16() >>> 4).AsByte() & nibble, pairs);
        return (Avx512BW.ConvertToVector256Byte(low.AsUInt16()).AsUInt64(), Avx512BW.ConvertToVector256Byte(high.AsUInt16()).AsUInt64());
    }

    /// <summary>How many of the two-bit codes in <paramref name="bytes"/> have their low bit set.</summary>
    private static int EvenCount(ReadOnlySpan<byte> bytes)
    {
        int count = 0;
        foreach (ulong word in MemoryMarshal.Cast<byte, ulong>(bytes))
        {
            count += BitOperations.PopCount(word & EvenBits);
        }
        return count;
    }

    /// <summary>(called, hom REF, hom ALT) of a variant over the counted samples.</summary>
    public (int Called, int HomRef, int HomAlt) Counts(int variant) => (_called[variant], _homRef[variant], _hom[variant] - _homRef[variant]);

    /// <summary>
    /// The sums (n, Σa, Σa², Σb, Σb², Σab) over the samples called at both variants of each pair (a, a+1) … (a, a+reach),
    /// into <paramref name="sums"/>, six per pair. When neither variant misses a counted sample the first five are each
    /// one's totals and only Σab is counted; otherwise all seven popcounts of <see cref="PairCounts.Full"/> run over every
    /// word in one pass. Optimised at once: the pair loop is the job's hot loop, and a process of a few seconds would
    /// otherwise spend a good part of it in unoptimised or ReadyToRun code waiting to be rejitted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddWindowSums(int a, int reach, Span<int> sums)
    {
        Span<int> counts = stackalloc int[PairCounts.Count];
        bool aComplete = _called[a] == _counted[a];
        ReadOnlySpan<ulong> planesA = Planes(a);
        for (int b = a + 1, at = 0; b <= a + reach; b++, at += 6)
        {
            Span<int> pair = sums.Slice(at, 6);
            if (aComplete && _called[b] == _counted[b])
            {
                var (homBoth, unlike) = PairCounts.HomProducts(planesA, Planes(b), Stride);
                pair[0] = _called[a];
                pair[1] = 2 * _homRef[a] - _hom[a];
                pair[2] = _hom[a];
                pair[3] = 2 * _homRef[b] - _hom[b];
                pair[4] = _hom[b];
                pair[5] = homBoth - 2 * unlike;
                continue;
            }
            PairCounts.Full(planesA, Planes(b), Stride, counts);
            pair[0] = counts[PairCounts.N];
            pair[1] = 2 * counts[PairCounts.RefA] - counts[PairCounts.HomA];
            pair[2] = counts[PairCounts.HomA];
            pair[3] = 2 * counts[PairCounts.RefB] - counts[PairCounts.HomB];
            pair[4] = counts[PairCounts.HomB];
            pair[5] = counts[PairCounts.HomBoth] - 2 * counts[PairCounts.Unlike];
        }
    }

    public void Dispose()
    {
        if (_words is { } words)
        {
            _words = null;
            ArrayPool<ulong>.Shared.Return(words);
        }
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

    /// <summary>Eight bytes from <paramref name="from"/>, which the caller has checked lie inside <paramref name="bytes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Read(ReadOnlySpan<byte> bytes, int from)
    {
        Debug.Assert(from + 8 <= bytes.Length);
        ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(bytes), from));
        return BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
    }

    /// <summary>Eight bytes of <paramref name="bytes"/> from <paramref name="from"/> as a little-endian word, zeros past the end.</summary>
    private static ulong Chunk(ReadOnlySpan<byte> bytes, int from)
    {
        Span<byte> tail = stackalloc byte[8];
        tail.Clear();
        if (from < bytes.Length)
        {
            bytes[from..Math.Min(bytes.Length, from + 8)].CopyTo(tail);
        }
        return BinaryPrimitives.ReadUInt64LittleEndian(tail);
    }
}
