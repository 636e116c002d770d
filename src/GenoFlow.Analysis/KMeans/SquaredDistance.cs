using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// Squared Euclidean distances between a point and centres (rows of <c>dimensions</c> doubles). The Vector256 path
/// adds four lanes in a fixed order with no fused multiply-add, so it gives the same bits with or without hardware
/// acceleration: the answer never depends on the node that computed it. <see cref="Reference"/> is the plain loop.
/// </summary>
internal static class SquaredDistance
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> c)
    {
        Debug.Assert(x.Length == c.Length);
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double cr = ref MemoryMarshal.GetReference(c);
        var sum = Vector256<double>.Zero;
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            Vector256<double> diff = Vector256.LoadUnsafe(ref xr, (nuint)i) - Vector256.LoadUnsafe(ref cr, (nuint)i);
            sum += diff * diff;
        }
        double total = (sum.GetElement(0) + sum.GetElement(1)) + (sum.GetElement(2) + sum.GetElement(3));
        for (; i < n; i++)
        {
            double diff = Unsafe.Add(ref xr, i) - Unsafe.Add(ref cr, i);
            total += diff * diff;
        }
        return total;
    }

    /// <summary>The same sum in the same order, one element at a time.</summary>
    public static double Reference(ReadOnlySpan<double> x, ReadOnlySpan<double> c)
    {
        Span<double> lanes = stackalloc double[4];
        int i = 0;
        for (; i + 4 <= x.Length; i += 4)
        {
            for (int l = 0; l < 4; l++)
            {
                double diff = x[i + l] - c[i + l];
                lanes[l] += diff * diff;
            }
        }
        double total = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        for (; i < x.Length; i++)
        {
            double diff = x[i] - c[i];
            total += diff * diff;
        }
        return total;
    }

    /// <summary>Index of the nearest of the centres (the first on a tie) and its squared distance.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Nearest(ReadOnlySpan<double> x, ReadOnlySpan<double> centres, out double distance)
    {
        int d = x.Length;
        int count = centres.Length / d;
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int k = 0; k < count; k++)
        {
            double dk = Compute(x, centres.Slice(k * d, d));
            if (dk < bestDistance)
            {
                bestDistance = dk;
                best = k;
            }
        }
        distance = bestDistance;
        return best;
    }
}
