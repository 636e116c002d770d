using System.IO.Hashing;
using System.Runtime.InteropServices;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// A random stream keyed by (seed, restart, step or round, shard, purpose): the simulator's xoshiro256** with the key's
/// xxh3 as its stream, so a shard's draws are the same on every node and runtime and never depend on where it runs.
/// </summary>
internal struct ShardRandom
{
    private Xoshiro256 _generator;

    public static ShardRandom For(ulong seed, long a, long b = 0, long c = 0, long d = 0)
    {
        ReadOnlySpan<long> key = [a, b, c, d];
        return new ShardRandom { _generator = new Xoshiro256(seed, XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key))) };
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => _generator.NextDouble();

    /// <summary>Uniform in [0, n), unbiased (Lemire's multiply-shift with rejection).</summary>
    public long NextBelow(long n)
    {
        Debug.Assert(n > 0);
        ulong bound = (ulong)n;
        ulong threshold = (0 - bound) % bound;
        while (true)
        {
            UInt128 product = (UInt128)_generator.NextUInt64() * bound;
            if ((ulong)product >= threshold)
            {
                return (long)(ulong)(product >> 64);
            }
        }
    }
}
