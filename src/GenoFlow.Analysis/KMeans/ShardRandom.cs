namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna 2018) seeded through SplitMix64 from a key such as (seed, restart, step, shard):
/// the same key gives the same stream on every node and .NET version, so a shard's draws never depend on where it runs.
/// </summary>
internal struct ShardRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public static ShardRandom For(ulong seed, long a, long b = 0, long c = 0, long d = 0)
    {
        ulong mix = seed;
        foreach (long part in (ReadOnlySpan<long>)[a, b, c, d])
        {
            mix = SplitMix(mix ^ (ulong)part);
        }
        var random = new ShardRandom();
        ulong state = mix;
        random._s0 = SplitMix(ref state);
        random._s1 = SplitMix(ref state);
        random._s2 = SplitMix(ref state);
        random._s3 = SplitMix(ref state);
        return random;
    }

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

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n), unbiased (Lemire's multiply-shift with rejection).</summary>
    public long NextBelow(long n)
    {
        Debug.Assert(n > 0);
        ulong bound = (ulong)n;
        ulong threshold = (0 - bound) % bound;
        while (true)
        {
            ulong x = NextUInt64();
            UInt128 product = (UInt128)x * bound;
            if ((ulong)product >= threshold)
            {
                return (long)(ulong)(product >> 64);
            }
        }
    }

    private static ulong SplitMix(ulong x)
    {
        ulong state = x;
        return SplitMix(ref state);
    }

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
