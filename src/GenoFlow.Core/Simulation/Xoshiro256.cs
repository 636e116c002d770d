namespace GenoFlow.Core.Simulation;

/// <summary>
/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64 from a (seed, stream) pair. Written out here rather than
/// using <see cref="Random"/>, whose algorithm .NET does not promise to keep, so a seed gives the same cohort on every
/// runtime. Each variant has its own stream, which is what lets generation run in parallel and stay deterministic.
/// </summary>
public struct Xoshiro256
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public Xoshiro256(ulong seed, ulong stream)
    {
        ulong sm = Mix(seed) ^ Mix(stream ^ 0xD1B54A32D192ED03UL);
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on (0, 1]: safe to take the logarithm of.</summary>
    public double NextDoubleNonZero() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer on [0, bound), by Lemire's multiply-shift (bias below 2^-32 for the bounds used here).</summary>
    public int NextInt(int bound)
    {
        Debug.Assert(bound > 0);
        return (int)(((NextUInt64() >> 32) * (ulong)bound) >> 32);
    }

    /// <summary>Standard normal by the Marsaglia polar method.</summary>
    public double NextNormal()
    {
        while (true)
        {
            double u = (2 * NextDouble()) - 1;
            double v = (2 * NextDouble()) - 1;
            double s = (u * u) + (v * v);
            if (s is > 0 and < 1)
            {
                return u * Math.Sqrt(-2 * Math.Log(s) / s);
            }
        }
    }

    /// <summary>
    /// Log of a Gamma(shape, 1) draw (Marsaglia and Tsang; shapes below 1 boosted by U^(1/shape)). Kept in logs because
    /// Balding–Nichols shapes get tiny when F is near 1 and the variate itself would underflow to 0.
    /// </summary>
    public double NextLogGamma(double shape)
    {
        Debug.Assert(shape > 0);
        double boost = 0;
        if (shape < 1)
        {
            boost = Math.Log(NextDoubleNonZero()) / shape;
            shape += 1;
        }
        double d = shape - (1.0 / 3);
        double c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x = NextNormal();
            double v = 1 + (c * x);
            if (v <= 0)
            {
                continue;
            }
            v = v * v * v;
            double logU = Math.Log(NextDoubleNonZero());
            if (logU < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return Math.Log(d * v) + boost;
            }
        }
    }

    /// <summary>Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), computed from their logs.</summary>
    public double NextBeta(double a, double b)
    {
        double logX = NextLogGamma(a);
        double logY = NextLogGamma(b);
        return 1 / (1 + Math.Exp(logY - logX));
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
