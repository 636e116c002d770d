namespace GenoFlow.Analysis.Qc;

/// <summary>
/// The exact test of Hardy–Weinberg equilibrium of Wigginton, Cutler &amp; Abecasis (2005, AJHG 76:887), two-sided,
/// not mid-p: P is the probability, given the allele counts, of a heterozygote count at most as likely as the observed
/// one. Computed as PLINK 2's <c>--hardy</c> does: probabilities relative to the observed configuration (which is 1),
/// walking away from it in both directions with the recurrence between het counts h and h ± 2, summing a tail
/// (≤ observed, with a tiny relative slack for exact ties lost to rounding) and a centre (&gt; observed), and stopping a
/// walk once its terms no longer change the tail sum. When the centre overflows a double the true P is below ~1e-308 and
/// 0 is returned, which is what PLINK 2.00a3.5 prints. No genotypes, or a monomorphic variant, gives 1.
/// </summary>
public static class HardyWeinberg
{
    /// <summary>Configurations this close to the observed probability count as ties (rounding over many steps).</summary>
    private const double TieLimit = 1 + 1e-10;

    /// <remarks>
    /// Compiled optimized on first call: QC runs it once per variant, a walk of up to ~1,000 steps, a few times, so its
    /// ReadyToRun code and tiering's first versions did most of the work (50,000 variants of 20,000 samples in one
    /// process: 0.16-0.20 s the first time through, 0.07 s with this).
    /// </remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static double ExactP(long het, long homRef, long homAlt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(het);
        ArgumentOutOfRangeException.ThrowIfNegative(homRef);
        ArgumentOutOfRangeException.ThrowIfNegative(homAlt);
        double rare = Math.Min(homRef, homAlt);
        double common = Math.Max(homRef, homAlt);
        double tail = 1;
        double centre = 0;

        // Fewer hets: P(h - 2) = P(h) * h (h - 1) / (4 (r + 1) (c + 1)).
        double p = 1, h = het, r = rare, c = common;
        while (h >= 2)
        {
            r += 1;
            c += 1;
            p *= h * (h - 1) / (4 * r * c);
            h -= 2;
            if (!Add(p, ref tail, ref centre))
            {
                break;
            }
        }
        if (double.IsInfinity(centre))
        {
            return 0;
        }

        // More hets: P(h + 2) = P(h) * 4 r c / ((h + 2) (h + 1)).
        p = 1;
        h = het;
        r = rare;
        c = common;
        while (r >= 1)
        {
            p *= 4 * r * c / ((h + 2) * (h + 1));
            h += 2;
            r -= 1;
            c -= 1;
            if (!Add(p, ref tail, ref centre))
            {
                break;
            }
        }
        if (double.IsInfinity(centre))
        {
            return 0;
        }
        return tail / (tail + centre);
    }

    /// <summary>Adds one configuration; false when the walk can stop (overflow, or a tail term too small to matter).</summary>
    /// <remarks>Inlined, so that the sums stay in registers rather than behind references.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool Add(double p, ref double tail, ref double centre)
    {
        if (p > TieLimit)
        {
            centre += p;
            return !double.IsInfinity(centre);
        }
        // Terms at most as likely as the observed one are only met after the mode, where they keep falling.
        double before = tail;
        tail += p;
        return tail != before;
    }
}
