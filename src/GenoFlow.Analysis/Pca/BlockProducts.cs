using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// The coordinator's products of one block of a tall matrix (rows × l, row-major, l a multiple of 8) with the Krylov
/// basis: the projections Qᵀ W and the update W −= Q P of Gram–Schmidt. Straight loops over the pieces' own arrays
/// (the basis stays float as the scratch store keeps it), Vector256 over columns; both paths do the same double
/// multiplications and additions in the same order per element, so the results do not depend on the hardware.
/// </summary>
internal static class BlockProducts
{
    /// <summary><c>result[a, c] += Σ_r q[r, a] · w[r, c]</c>; result is l × l, row-major.</summary>
    public static void AddTransposedProduct(ReadOnlySpan<float> q, ReadOnlySpan<double> w, int l, Span<double> result, bool allowSimd = true)
    {
        Debug.Assert(q.Length == w.Length && q.Length % l == 0 && result.Length == l * l && l % 8 == 0);
        int rows = q.Length / l;
        if (allowSimd && Vector256.IsHardwareAccelerated)
        {
            ref double wr = ref MemoryMarshal.GetReference(w);
            ref double res = ref MemoryMarshal.GetReference(result);
            for (int r = 0; r < rows; r++)
            {
                nuint row = (nuint)(r * l);
                for (int a = 0; a < l; a++)
                {
                    Vector256<double> qa = Vector256.Create((double)q[r * l + a]);
                    nuint target = (nuint)(a * l);
                    for (nuint c = 0; c < (nuint)l; c += 4)
                    {
                        (Vector256.LoadUnsafe(ref res, target + c) + qa * Vector256.LoadUnsafe(ref wr, row + c)).StoreUnsafe(ref res, target + c);
                    }
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            for (int a = 0; a < l; a++)
            {
                double qa = q[r * l + a];
                for (int c = 0; c < l; c++)
                {
                    result[a * l + c] += qa * w[r * l + c];
                }
            }
        }
    }

    /// <summary><c>w[r, c] −= Σ_a q[r, a] · p[a, c]</c>, the sum taken term by term in a's order; p is l × l, row-major.</summary>
    public static void SubtractProduct(ReadOnlySpan<float> q, ReadOnlySpan<double> p, int l, Span<double> w, bool allowSimd = true)
    {
        Debug.Assert(q.Length == w.Length && q.Length % l == 0 && p.Length == l * l && l % 8 == 0);
        int rows = q.Length / l;
        if (allowSimd && Vector256.IsHardwareAccelerated)
        {
            ref double pr = ref MemoryMarshal.GetReference(p);
            ref double wr = ref MemoryMarshal.GetReference(w);
            for (int r = 0; r < rows; r++)
            {
                nuint row = (nuint)(r * l);
                for (nuint c = 0; c < (nuint)l; c += 4)
                {
                    Vector256<double> acc = Vector256.LoadUnsafe(ref wr, row + c);
                    for (int a = 0; a < l; a++)
                    {
                        acc -= Vector256.Create((double)q[r * l + a]) * Vector256.LoadUnsafe(ref pr, (nuint)(a * l) + c);
                    }
                    acc.StoreUnsafe(ref wr, row + c);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < l; c++)
            {
                double acc = w[r * l + c];
                for (int a = 0; a < l; a++)
                {
                    acc -= q[r * l + a] * p[a * l + c];
                }
                w[r * l + c] = acc;
            }
        }
    }
}
