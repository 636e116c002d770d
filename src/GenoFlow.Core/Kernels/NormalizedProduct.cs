using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Kernels;

/// <summary>
/// Products of a run of packed rows (layout: <see cref="PackedGenotypes"/>; one row per variant, <c>RowBytes(sampleCount)</c>
/// bytes each) with dense float blocks of a few columns, normalised on the fly: entry (v, s) of the implied matrix is
/// <c>x = (a − center[v]) · scale[v]</c> for a called genotype with ALT count a, and 0 when missing. With
/// center = 2p and scale = 1/sqrt(2p(1−p)) this is the HWE-normalised matrix; scale 0 drops a variant; center 2 − 2p with
/// scale −s projects a variant whose alleles are swapped. The dense matrix is never built.
/// <para>
/// Dense blocks are row-major with <c>columns</c> values per row, columns a multiple of 8 (callers pad with zeros).
/// Both products only add dense rows chosen by the 2-bit code (per code, then one weighted sum in double), so the
/// Vector256 path and the scalar path give identical bits.
/// </para>
/// </summary>
public static class NormalizedProduct
{
    /// <summary>
    /// <c>output[v, c] = Σ_s x(v, s) · dense[s, c]</c>: rows × samples times samples × columns. Per row, the dense rows
    /// are summed into one float accumulator per genotype code; the row's result is the double sum of those four
    /// accumulators weighted by the code's x.
    /// </summary>
    public static void Multiply(ReadOnlySpan<byte> rows, int rowCount, int sampleCount, ReadOnlySpan<double> center, ReadOnlySpan<double> scale,
        ReadOnlySpan<float> dense, int columns, Span<float> output, bool allowSimd = true)
    {
        Check(rows, rowCount, sampleCount, center, scale, columns);
        Require(dense.Length == (long)sampleCount * columns, "dense", $"{sampleCount} x {columns} floats expected, got {dense.Length}");
        Require(output.Length == (long)rowCount * columns, "output", $"{rowCount} x {columns} floats expected, got {output.Length}");
        int stride = PackedGenotypes.RowBytes(sampleCount);
        bool simd = allowSimd && Vector256.IsHardwareAccelerated;
        float[] acc = new float[4 * columns];
        Span<double> weight = stackalloc double[4];
        for (int v = 0; v < rowCount; v++)
        {
            Array.Clear(acc);
            ReadOnlySpan<byte> row = rows.Slice(v * stride, stride);
            if (simd)
            {
                AccumulateByCodeVector(row, sampleCount, dense, columns, acc);
            }
            else
            {
                AccumulateByCodeScalar(row, sampleCount, dense, columns, acc);
            }
            Weights(center[v], scale[v], weight);
            Span<float> target = output.Slice(v * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                target[c] = (float)(weight[0] * acc[c] + weight[2] * acc[2 * columns + c] + weight[3] * acc[3 * columns + c]);
            }
        }
    }

    /// <summary>
    /// <c>output[s, c] += Σ_v x(v, s) · dense[v, c]</c>: the transposed product, samples × rows times rows × columns,
    /// added into <paramref name="output"/> (samples × columns). Per row, the four code-weighted copies of the dense row are
    /// made first; each sample then adds the one its code picks. Samples go in chunks so their output rows stay in cache.
    /// </summary>
    public static void MultiplyTransposed(ReadOnlySpan<byte> rows, int rowCount, int sampleCount, ReadOnlySpan<double> center, ReadOnlySpan<double> scale,
        ReadOnlySpan<float> dense, int columns, Span<float> output, bool allowSimd = true)
    {
        Check(rows, rowCount, sampleCount, center, scale, columns);
        Require(dense.Length == (long)rowCount * columns, "dense", $"{rowCount} x {columns} floats expected, got {dense.Length}");
        Require(output.Length == (long)sampleCount * columns, "output", $"{sampleCount} x {columns} floats expected, got {output.Length}");
        int stride = PackedGenotypes.RowBytes(sampleCount);
        bool simd = allowSimd && Vector256.IsHardwareAccelerated;
        // Per row: 4 code-weighted copies (code 1, missing, stays zero).
        float[] weighted = new float[(long)rowCount * 4 * columns];
        Span<double> weight = stackalloc double[4];
        for (int v = 0; v < rowCount; v++)
        {
            Weights(center[v], scale[v], weight);
            ReadOnlySpan<float> source = dense.Slice(v * columns, columns);
            Span<float> w = weighted.AsSpan(v * 4 * columns, 4 * columns);
            for (int c = 0; c < columns; c++)
            {
                w[c] = (float)(weight[0] * source[c]);
                w[2 * columns + c] = (float)(weight[2] * source[c]);
                w[3 * columns + c] = (float)(weight[3] * source[c]);
            }
        }
        const int ChunkSamples = 128;
        for (int first = 0; first < sampleCount; first += ChunkSamples)
        {
            int end = Math.Min(sampleCount, first + ChunkSamples);
            for (int v = 0; v < rowCount; v++)
            {
                ReadOnlySpan<byte> row = rows.Slice(v * stride, stride);
                ReadOnlySpan<float> w = weighted.AsSpan(v * 4 * columns, 4 * columns);
                if (simd)
                {
                    AddChosenRowsVector(row, first, end, w, columns, output);
                }
                else
                {
                    for (int s = first; s < end; s++)
                    {
                        int code = (row[s >> 2] >> ((s & 3) << 1)) & 3;
                        if (code == PackedGenotypes.Missing)
                        {
                            continue;
                        }
                        ReadOnlySpan<float> source = w.Slice(code * columns, columns);
                        Span<float> target = output.Slice(s * columns, columns);
                        for (int c = 0; c < columns; c++)
                        {
                            target[c] += source[c];
                        }
                    }
                }
            }
        }
    }

    /// <summary>For samples [first, end): output row s += the weighted row its code picks (missing adds nothing).</summary>
    private static void AddChosenRowsVector(ReadOnlySpan<byte> row, int first, int end, ReadOnlySpan<float> weighted, int columns, Span<float> output)
    {
        Debug.Assert(output.Length >= end * columns && weighted.Length == 4 * columns);
        ref float w = ref MemoryMarshal.GetReference(weighted);
        ref float o = ref MemoryMarshal.GetReference(output);
        for (int s = first; s < end; s++)
        {
            int code = (row[s >> 2] >> ((s & 3) << 1)) & 3;
            if (code == PackedGenotypes.Missing)
            {
                continue;
            }
            nuint from = (nuint)(code * columns);
            nuint to = (nuint)((long)s * columns);
            for (int c = 0; c < columns; c += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref o, to + (nuint)c) + Vector256.LoadUnsafe(ref w, from + (nuint)c)).StoreUnsafe(ref o, to + (nuint)c);
            }
        }
    }

    /// <summary>The straightforward double loop over the implied dense matrix; the reference for <see cref="Multiply"/>.</summary>
    public static void MultiplyNaive(ReadOnlySpan<byte> rows, int rowCount, int sampleCount, ReadOnlySpan<double> center, ReadOnlySpan<double> scale,
        ReadOnlySpan<float> dense, int columns, Span<double> output)
    {
        int stride = PackedGenotypes.RowBytes(sampleCount);
        for (int v = 0; v < rowCount; v++)
        {
            for (int s = 0; s < sampleCount; s++)
            {
                double x = Entry(rows.Slice(v * stride, stride), s, center[v], scale[v]);
                for (int c = 0; c < columns; c++)
                {
                    output[v * columns + c] += x * dense[s * columns + c];
                }
            }
        }
    }

    /// <summary>The reference for <see cref="MultiplyTransposed"/> (adds into output, in double).</summary>
    public static void MultiplyTransposedNaive(ReadOnlySpan<byte> rows, int rowCount, int sampleCount, ReadOnlySpan<double> center, ReadOnlySpan<double> scale,
        ReadOnlySpan<float> dense, int columns, Span<double> output)
    {
        int stride = PackedGenotypes.RowBytes(sampleCount);
        for (int v = 0; v < rowCount; v++)
        {
            for (int s = 0; s < sampleCount; s++)
            {
                double x = Entry(rows.Slice(v * stride, stride), s, center[v], scale[v]);
                for (int c = 0; c < columns; c++)
                {
                    output[s * columns + c] += x * dense[v * columns + c];
                }
            }
        }
    }

    /// <summary>Entry (v, s) of the implied normalised matrix.</summary>
    public static double Entry(ReadOnlySpan<byte> row, int sample, double center, double scale)
    {
        int a = PackedGenotypes.AltCountByCode[PackedGenotypes.GetCode(row, sample)];
        return a < 0 ? 0 : (a - center) * scale;
    }

    /// <summary>x per 2-bit code: hom ALT, missing (0), het, hom REF.</summary>
    private static void Weights(double center, double scale, Span<double> weight)
    {
        weight[PackedGenotypes.HomAlt] = (2 - center) * scale;
        weight[PackedGenotypes.Missing] = 0;
        weight[PackedGenotypes.Het] = (1 - center) * scale;
        weight[PackedGenotypes.HomRef] = -center * scale;
    }

    private static void AccumulateByCodeScalar(ReadOnlySpan<byte> row, int sampleCount, ReadOnlySpan<float> dense, int columns, Span<float> acc)
    {
        for (int s = 0; s < sampleCount; s++)
        {
            int code = (row[s >> 2] >> ((s & 3) << 1)) & 3;
            Span<float> target = acc.Slice(code * columns, columns);
            ReadOnlySpan<float> source = dense.Slice(s * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                target[c] += source[c];
            }
        }
    }

    private static void AccumulateByCodeVector(ReadOnlySpan<byte> row, int sampleCount, ReadOnlySpan<float> dense, int columns, Span<float> acc)
    {
        ref float src = ref MemoryMarshal.GetReference(dense);
        ref float dst = ref MemoryMarshal.GetReference(acc);
        for (int s = 0; s < sampleCount; s++)
        {
            int code = (row[s >> 2] >> ((s & 3) << 1)) & 3;
            nuint to = (nuint)(code * columns);
            nuint from = (nuint)((long)s * columns);
            for (int c = 0; c < columns; c += Vector256<float>.Count)
            {
                Vector256<float> sum = Vector256.LoadUnsafe(ref dst, to + (nuint)c) + Vector256.LoadUnsafe(ref src, from + (nuint)c);
                sum.StoreUnsafe(ref dst, to + (nuint)c);
            }
        }
    }

    private static void Check(ReadOnlySpan<byte> rows, int rowCount, int sampleCount, ReadOnlySpan<double> center, ReadOnlySpan<double> scale, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        Require(columns > 0 && columns % 8 == 0, nameof(columns), $"a positive multiple of 8 expected (pad with zero columns), got {columns}");
        Require(rows.Length == (long)rowCount * PackedGenotypes.RowBytes(sampleCount), nameof(rows), $"{rows.Length} bytes do not hold {rowCount} rows of {sampleCount} samples");
        Require(center.Length == rowCount && scale.Length == rowCount, nameof(center), $"center and scale must hold {rowCount} values (got {center.Length}, {scale.Length})");
    }

    private static void Require(bool condition, string name, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message, name);
        }
    }
}
