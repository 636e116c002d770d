using System.Runtime.CompilerServices;
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
    /// <summary>Rows per chunk of the transposed product: 128 rows of q and w at l = 24 are 36 KB, inside L1.</summary>
    private const int RowChunk = 128;

    /// <summary><c>result[a, c] += Σ_r q[r, a] · w[r, c]</c>; result is l × l, row-major.</summary>
    public static void AddTransposedProduct(ReadOnlySpan<float> q, ReadOnlySpan<double> w, int l, Span<double> result, bool allowSimd = true)
    {
        Debug.Assert(q.Length == w.Length && q.Length % l == 0 && result.Length == l * l && l % 8 == 0);
        int rows = q.Length / l;
        if (allowSimd && Vector256.IsHardwareAccelerated)
        {
            // Register tiles of 4 result rows x 8 columns, summed over a chunk of rows that stays in L1, so the result
            // is loaded and stored once per chunk instead of once per row and term.
            ref float qr = ref MemoryMarshal.GetReference(q);
            ref double wr = ref MemoryMarshal.GetReference(w);
            ref double res = ref MemoryMarshal.GetReference(result);
            for (int first = 0; first < rows; first += RowChunk)
            {
                int end = Math.Min(rows, first + RowChunk);
                for (int a = 0; a < l; a += 4)
                {
                    for (int c = 0; c < l; c += 8)
                    {
                        nuint t0 = (nuint)(a * l + c), t1 = t0 + (nuint)l, t2 = t1 + (nuint)l, t3 = t2 + (nuint)l;
                        Vector256<double> r00 = Vector256.LoadUnsafe(ref res, t0), r01 = Vector256.LoadUnsafe(ref res, t0 + 4);
                        Vector256<double> r10 = Vector256.LoadUnsafe(ref res, t1), r11 = Vector256.LoadUnsafe(ref res, t1 + 4);
                        Vector256<double> r20 = Vector256.LoadUnsafe(ref res, t2), r21 = Vector256.LoadUnsafe(ref res, t2 + 4);
                        Vector256<double> r30 = Vector256.LoadUnsafe(ref res, t3), r31 = Vector256.LoadUnsafe(ref res, t3 + 4);
                        for (int r = first; r < end; r++)
                        {
                            nuint row = (nuint)(r * l);
                            Vector256<double> w0 = Vector256.LoadUnsafe(ref wr, row + (nuint)c), w1 = Vector256.LoadUnsafe(ref wr, row + (nuint)c + 4);
                            ref float qa = ref Unsafe.Add(ref qr, row + (nuint)a);
                            Vector256<double> q0 = Vector256.Create((double)qa), q1 = Vector256.Create((double)Unsafe.Add(ref qa, 1));
                            Vector256<double> q2 = Vector256.Create((double)Unsafe.Add(ref qa, 2)), q3 = Vector256.Create((double)Unsafe.Add(ref qa, 3));
                            r00 += q0 * w0;
                            r01 += q0 * w1;
                            r10 += q1 * w0;
                            r11 += q1 * w1;
                            r20 += q2 * w0;
                            r21 += q2 * w1;
                            r30 += q3 * w0;
                            r31 += q3 * w1;
                        }
                        r00.StoreUnsafe(ref res, t0);
                        r01.StoreUnsafe(ref res, t0 + 4);
                        r10.StoreUnsafe(ref res, t1);
                        r11.StoreUnsafe(ref res, t1 + 4);
                        r20.StoreUnsafe(ref res, t2);
                        r21.StoreUnsafe(ref res, t2 + 4);
                        r30.StoreUnsafe(ref res, t3);
                        r31.StoreUnsafe(ref res, t3 + 4);
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
            // Register tiles of 4 rows x 8 columns: each p load serves four rows.
            ref float qr = ref MemoryMarshal.GetReference(q);
            ref double pr = ref MemoryMarshal.GetReference(p);
            ref double wr = ref MemoryMarshal.GetReference(w);
            int r = 0;
            for (; r + 4 <= rows; r += 4)
            {
                nuint row0 = (nuint)(r * l), row1 = row0 + (nuint)l, row2 = row1 + (nuint)l, row3 = row2 + (nuint)l;
                for (nuint c = 0; c < (nuint)l; c += 8)
                {
                    Vector256<double> a00 = Vector256.LoadUnsafe(ref wr, row0 + c), a01 = Vector256.LoadUnsafe(ref wr, row0 + c + 4);
                    Vector256<double> a10 = Vector256.LoadUnsafe(ref wr, row1 + c), a11 = Vector256.LoadUnsafe(ref wr, row1 + c + 4);
                    Vector256<double> a20 = Vector256.LoadUnsafe(ref wr, row2 + c), a21 = Vector256.LoadUnsafe(ref wr, row2 + c + 4);
                    Vector256<double> a30 = Vector256.LoadUnsafe(ref wr, row3 + c), a31 = Vector256.LoadUnsafe(ref wr, row3 + c + 4);
                    for (int a = 0; a < l; a++)
                    {
                        nuint at = (nuint)(a * l) + c;
                        Vector256<double> p0 = Vector256.LoadUnsafe(ref pr, at), p1 = Vector256.LoadUnsafe(ref pr, at + 4);
                        Vector256<double> q0 = Vector256.Create((double)Unsafe.Add(ref qr, row0 + (nuint)a));
                        Vector256<double> q1 = Vector256.Create((double)Unsafe.Add(ref qr, row1 + (nuint)a));
                        Vector256<double> q2 = Vector256.Create((double)Unsafe.Add(ref qr, row2 + (nuint)a));
                        Vector256<double> q3 = Vector256.Create((double)Unsafe.Add(ref qr, row3 + (nuint)a));
                        a00 -= q0 * p0;
                        a01 -= q0 * p1;
                        a10 -= q1 * p0;
                        a11 -= q1 * p1;
                        a20 -= q2 * p0;
                        a21 -= q2 * p1;
                        a30 -= q3 * p0;
                        a31 -= q3 * p1;
                    }
                    a00.StoreUnsafe(ref wr, row0 + c);
                    a01.StoreUnsafe(ref wr, row0 + c + 4);
                    a10.StoreUnsafe(ref wr, row1 + c);
                    a11.StoreUnsafe(ref wr, row1 + c + 4);
                    a20.StoreUnsafe(ref wr, row2 + c);
                    a21.StoreUnsafe(ref wr, row2 + c + 4);
                    a30.StoreUnsafe(ref wr, row3 + c);
                    a31.StoreUnsafe(ref wr, row3 + c + 4);
                }
            }
            for (; r < rows; r++)
            {
                nuint row = (nuint)(r * l);
                for (nuint c = 0; c < (nuint)l; c += 4)
                {
                    Vector256<double> acc = Vector256.LoadUnsafe(ref wr, row + c);
                    for (int a = 0; a < l; a++)
                    {
                        acc -= Vector256.Create((double)Unsafe.Add(ref qr, row + (nuint)a)) * Vector256.LoadUnsafe(ref pr, (nuint)(a * l) + c);
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
