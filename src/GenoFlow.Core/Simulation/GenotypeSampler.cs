using System.Runtime.CompilerServices;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Simulation;

/// <summary>
/// Fills packed rows with Binomial(2, p) genotypes, four per byte, straight into the .bed layout of
/// <see cref="PackedGenotypes"/>. A 64-bit random number is read as four 16-bit lanes, each holding a 15-bit uniform u,
/// and makes one byte. Each u is compared with two thresholds on a 2^15 scale, <c>homAlt = round(p^2 * 2^15)</c> and
/// <c>notHomRef = round((1 - (1-p)^2) * 2^15)</c>; <c>code = (u >= homAlt) &lt;&lt; 1 | (u >= notHomRef)</c> gives
/// 00 (2 ALT), 10 (1 ALT) or 11 (0 ALT). The comparisons run on all four lanes at once (SWAR): adding
/// <c>2^15 - threshold</c> to a lane sets its bit 15 exactly when u >= threshold, and no lane can carry into the next.
/// Genotype probabilities are therefore exact to 2^-16. Missing genotypes are placed afterwards by geometric skips, so a
/// missing rate R costs about R logarithms per genotype.
/// </summary>
internal static class GenotypeSampler
{
    public const int Scale = 1 << 15;

    private const ulong LaneValueMask = 0x7FFF_7FFF_7FFF_7FFFUL;
    private const ulong LaneLowBit = 0x0001_0001_0001_0001UL;

    public readonly record struct Thresholds(int HomAlt, int NotHomRef)
    {
        public static Thresholds ForAltFrequency(double p)
        {
            Debug.Assert(p is >= 0 and <= 1);
            double q = 1 - p;
            return new Thresholds((int)Math.Round(p * p * Scale), (int)Math.Round((1 - (q * q)) * Scale));
        }

        /// <summary>The threshold's complement to 2^15 copied into each 16-bit lane.</summary>
        public ulong HomAltLanes => Broadcast(Scale - HomAlt);

        public ulong NotHomRefLanes => Broadcast(Scale - NotHomRef);

        private static ulong Broadcast(int lane) => (ulong)lane * LaneLowBit;
    }

    /// <summary>
    /// Fills <paramref name="row"/> (trailing bits zero) for samples grouped into contiguous populations:
    /// population k holds samples [groupStarts[k], groupStarts[k+1]) and draws with <paramref name="thresholds"/>[k].
    /// </summary>
    public static void Fill(Span<byte> row, ReadOnlySpan<int> groupStarts, ReadOnlySpan<Thresholds> thresholds, ref Xoshiro256 rng)
    {
        Debug.Assert(groupStarts.Length == thresholds.Length + 1);
        Debug.Assert(row.Length == PackedGenotypes.RowBytes(groupStarts[^1]));
        row.Clear();
        for (int k = 0; k < thresholds.Length; k++)
        {
            Thresholds t = thresholds[k];
            int i = groupStarts[k];
            int end = groupStarts[k + 1];
            for (; i < end && (i & 3) != 0; i++)
            {
                row[i >> 2] |= (byte)(Code(rng.NextUInt64(), t) << ((i & 3) << 1));
            }
            int fullBytes = (end - i) >> 2;
            FillBytes(row.Slice(i >> 2, fullBytes), t.HomAltLanes, t.NotHomRefLanes, ref rng);
            i += fullBytes << 2;
            for (; i < end; i++)
            {
                row[i >> 2] |= (byte)(Code(rng.NextUInt64(), t) << ((i & 3) << 1));
            }
        }
    }

    // Fully optimized from the first call: short runs would otherwise spend much of their time in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillBytes(Span<byte> bytes, ulong homAltLanes, ulong notHomRefLanes, ref Xoshiro256 rng)
    {
        for (int j = 0; j < bytes.Length; j++)
        {
            ulong u = rng.NextUInt64() & LaneValueMask;
            ulong geHomAlt = ((u + homAltLanes) >> 15) & LaneLowBit;
            ulong geNotHomRef = ((u + notHomRefLanes) >> 15) & LaneLowBit;
            // Two-bit codes at bits 0, 16, 32, 48; gather them into bits 0..7.
            ulong codes = (geHomAlt << 1) | geNotHomRef;
            codes |= codes >> 14;
            codes |= codes >> 28;
            bytes[j] = (byte)codes;
        }
    }

    /// <summary>One genotype from the lowest lane of <paramref name="random"/>, as <see cref="FillBytes"/> does it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Code(ulong random, Thresholds t)
    {
        int u = (int)(random & 0x7FFF);
        int geHomAlt = (u + Scale - t.HomAlt) >> 15;
        int geNotHomRef = (u + Scale - t.NotHomRef) >> 15;
        return (geHomAlt << 1) | geNotHomRef;
    }

    /// <summary>Marks each sample missing independently with probability <paramref name="rate"/> (0 &lt;= rate &lt; 1).</summary>
    public static void ApplyMissing(Span<byte> row, int sampleCount, double rate, ref Xoshiro256 rng)
    {
        if (rate <= 0)
        {
            return;
        }
        double logKeep = Math.Log(1 - rate);
        long i = Skip(ref rng, logKeep);
        while (i < sampleCount)
        {
            PackedGenotypes.SetCode(row, (int)i, PackedGenotypes.Missing);
            i += 1 + Skip(ref rng, logKeep);
        }
    }

    /// <summary>Number of non-missing samples before the next missing one: Geometric(rate) on {0, 1, ...}.</summary>
    private static long Skip(ref Xoshiro256 rng, double logKeep)
    {
        double skip = Math.Floor(Math.Log(rng.NextDoubleNonZero()) / logKeep);
        return skip < int.MaxValue ? (long)skip : int.MaxValue;
    }
}
