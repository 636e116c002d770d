using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(int variant, ReadOnlySpan<byte> row, ReadOnlySpan<byte> keepMask)
    {
        if (row.Length != PackedGenotypes.RowBytes(_sampleCount) || (!keepMask.IsEmpty && keepMask.Length != row.Length))
        {
            throw new ArgumentException($"a row of {_sampleCount} samples is {PackedGenotypes.RowBytes(_sampleCount)} bytes (and so is a keep mask); got {row.Length} and {keepMask.Length}", nameof(row));
        }
        Span<ulong> planes = Words.AsSpan(3 * Stride * variant, 3 * Stride);
        Span<ulong> hom = planes[..Stride], homRef = planes.Slice(Stride, Stride), called = planes.Slice(2 * Stride, Stride);
        int words = (_sampleCount + 63) >> 6, fullWords = _sampleCount >> 6;
        int calledCount = 0, homCount = 0, homRefCount = 0, countedCount = 0;
        for (int w = 0; w < words; w++)
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
