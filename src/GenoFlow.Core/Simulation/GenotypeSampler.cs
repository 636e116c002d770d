using System.Runtime.CompilerServices;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Simulation;

/// <summary>
/// Fills packed rows with Binomial(2, p) genotypes, four per byte, straight into the .bed layout of
/// <see cref="PackedGenotypes"/>. Each genotype takes a 16-bit slice of a 64-bit random number, so one random makes one
/// byte: the slice u is compared with two thresholds on a 2^16 scale,
/// <c>homAlt = round(p^2 * 2^16)</c> and <c>notHomRef = round((1 - (1-p)^2) * 2^16)</c>, and
/// <c>code = (u >= homAlt) &lt;&lt; 1 | (u >= notHomRef)</c> gives 00 (2 ALT), 10 (1 ALT) or 11 (0 ALT) without branches.
/// Probabilities are therefore exact to 2^-17. Missing genotypes are placed afterwards by geometric skips, so a
/// missing rate R costs about R logarithms per genotype.
/// </summary>
internal static class GenotypeSampler
{
    public const int Scale = 1 << 16;

    public readonly record struct Thresholds(int HomAlt, int NotHomRef)
    {
        public static Thresholds ForAltFrequency(double p)
        {
            Debug.Assert(p is >= 0 and <= 1);
            double q = 1 - p;
            return new Thresholds((int)Math.Round(p * p * Scale), (int)Math.Round((1 - (q * q)) * Scale));
        }
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
            int a = thresholds[k].HomAlt;
            int b = thresholds[k].NotHomRef;
            int i = groupStarts[k];
            int end = groupStarts[k + 1];
            for (; i < end && (i & 3) != 0; i++)
            {
                row[i >> 2] |= (byte)(Code((int)(rng.NextUInt64() >> 48), a, b) << ((i & 3) << 1));
            }
            for (; i + 4 <= end; i += 4)
            {
                ulong r = rng.NextUInt64();
                int c0 = Code((int)(r & 0xFFFF), a, b);
                int c1 = Code((int)((r >> 16) & 0xFFFF), a, b);
                int c2 = Code((int)((r >> 32) & 0xFFFF), a, b);
                int c3 = Code((int)(r >> 48), a, b);
                row[i >> 2] = (byte)(c0 | (c1 << 2) | (c2 << 4) | (c3 << 6));
            }
            for (; i < end; i++)
            {
                row[i >> 2] |= (byte)(Code((int)(rng.NextUInt64() >> 48), a, b) << ((i & 3) << 1));
            }
        }
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Code(int u, int homAlt, int notHomRef) =>
        // (x >> 31) of (threshold - 1 - u) as unsigned is 1 exactly when u >= threshold.
        (int)(((uint)(homAlt - 1 - u) >> 31) << 1) | (int)((uint)(notHomRef - 1 - u) >> 31);
}
