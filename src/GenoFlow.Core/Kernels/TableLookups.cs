using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GenoFlow.Core.Kernels;

/// <summary>
/// The inner loops of <see cref="NormalizedProduct"/>: summing entries of a chunk of 256-entry lookup tables (one per
/// group of four samples or variants, <c>columns</c> floats per entry) into the output, 8-column slices at a time.
/// Three slices (24 columns, K = 10's block) go in one pass over the bytes with twelve accumulators in registers; the
/// columns left over go one slice at a time. The vector and scalar paths add the same floats in the same order per
/// element, so they give identical bits.
/// </summary>
internal static class TableLookups
{
    public const int Slice = 8;

    /// <summary>
    /// <c>sums[v, ·] += Σ_{g ∈ [first, end)} table_{g − first}[byte g of row v]</c> for every row: the forward product's
    /// ALT-count sums over a chunk of sample groups.
    /// </summary>
    public static void AddRowSums(ReadOnlySpan<byte> rows, int rowCount, int stride, int first, int end, float[] tables, int columns, Span<float> sums, bool simd)
    {
        int slice = 0;
        for (; simd && slice + 3 * Slice <= columns; slice += 3 * Slice)
        {
            AddRowLookupsVector3(rows, rowCount, stride, first, end, tables, columns, slice, sums);
        }
        for (; slice < columns; slice += Slice)
        {
            if (simd)
            {
                AddRowLookupsVector(rows, rowCount, stride, first, end, tables, columns, slice, sums);
            }
            else
            {
                AddRowLookupsScalar(rows, rowCount, stride, first, end, tables, columns, slice, sums);
            }
        }
    }

    /// <summary>
    /// <c>output[s, ·] += Σ_g table_g[index g of s]</c> for every sample over a chunk of <paramref name="groups"/>
    /// variant groups (indices: one byte per sample per group, <paramref name="indexStride"/> apart): the transposed product.
    /// </summary>
    public static void AddSampleSums(byte[] indices, int indexStride, int sampleCount, int groups, float[] tables, int columns, Span<float> output, bool simd)
    {
        int slice = 0;
        for (; simd && slice + 3 * Slice <= columns; slice += 3 * Slice)
        {
            AddSampleLookupsVector3(indices, indexStride, sampleCount, groups, tables, columns, slice, output);
        }
        for (; slice < columns; slice += Slice)
        {
            if (simd)
            {
                AddSampleLookupsVector(indices, indexStride, sampleCount, groups, tables, columns, slice, output);
            }
            else
            {
                AddSampleLookupsScalar(indices, indexStride, sampleCount, groups, tables, columns, slice, output);
            }
        }
    }

    /// <summary>sums[v, slice..slice+8] += Σ_{g ∈ [first, end)} table_g[row v byte g], four rows at a time (independent add chains).</summary>
    private static void AddRowLookupsVector(ReadOnlySpan<byte> rows, int rowCount, int stride, int first, int end, float[] tables, int columns, int slice, Span<float> sums)
    {
        ref byte packed = ref MemoryMarshal.GetReference(rows);
        ref float table = ref MemoryMarshal.GetArrayDataReference(tables);
        ref float output = ref MemoryMarshal.GetReference(sums);
        int tableStride = 256 * columns;
        int v = 0;
        for (; v + 4 <= rowCount; v += 4)
        {
            ref byte r0 = ref Unsafe.Add(ref packed, (nint)v * stride);
            ref byte r1 = ref Unsafe.Add(ref r0, stride);
            ref byte r2 = ref Unsafe.Add(ref r1, stride);
            ref byte r3 = ref Unsafe.Add(ref r2, stride);
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            nint offset = slice;
            for (int g = first; g < end; g++, offset += tableStride)
            {
                a0 += Vector256.LoadUnsafe(ref table, (nuint)(offset + Unsafe.Add(ref r0, g) * columns));
                a1 += Vector256.LoadUnsafe(ref table, (nuint)(offset + Unsafe.Add(ref r1, g) * columns));
                a2 += Vector256.LoadUnsafe(ref table, (nuint)(offset + Unsafe.Add(ref r2, g) * columns));
                a3 += Vector256.LoadUnsafe(ref table, (nuint)(offset + Unsafe.Add(ref r3, g) * columns));
            }
            AddInto(ref output, (nuint)(v * columns + slice), a0);
            AddInto(ref output, (nuint)((v + 1) * columns + slice), a1);
            AddInto(ref output, (nuint)((v + 2) * columns + slice), a2);
            AddInto(ref output, (nuint)((v + 3) * columns + slice), a3);
        }
        for (; v < rowCount; v++)
        {
            ref byte r0 = ref Unsafe.Add(ref packed, (nint)v * stride);
            Vector256<float> a0 = Vector256<float>.Zero;
            nint offset = slice;
            for (int g = first; g < end; g++, offset += tableStride)
            {
                a0 += Vector256.LoadUnsafe(ref table, (nuint)(offset + Unsafe.Add(ref r0, g) * columns));
            }
            AddInto(ref output, (nuint)(v * columns + slice), a0);
        }
    }

    /// <summary>
    /// <see cref="AddRowLookupsVector"/> for three slices at once (24 columns, K = 10's block): each byte is read and its
    /// table row located once for all three, and twelve accumulators stay in registers. Same additions in the same order
    /// per element as three single-slice passes, so the same bits.
    /// </summary>
    private static void AddRowLookupsVector3(ReadOnlySpan<byte> rows, int rowCount, int stride, int first, int end, float[] tables, int columns, int slice, Span<float> sums)
    {
        ref byte packed = ref MemoryMarshal.GetReference(rows);
        ref float output = ref MemoryMarshal.GetReference(sums);
        int tableStride = 256 * columns;
        int v = 0;
        for (; v + 4 <= rowCount; v += 4)
        {
            ref byte r0 = ref Unsafe.Add(ref packed, (nint)v * stride);
            ref byte r1 = ref Unsafe.Add(ref r0, stride);
            ref byte r2 = ref Unsafe.Add(ref r1, stride);
            ref byte r3 = ref Unsafe.Add(ref r2, stride);
            Vector256<float> a0 = Vector256<float>.Zero, b0 = a0, c0 = a0, a1 = a0, b1 = a0, c1 = a0, a2 = a0, b2 = a0, c2 = a0, a3 = a0, b3 = a0, c3 = a0;
            ref float table = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(tables), slice);
            for (int g = first; g < end; g++, table = ref Unsafe.Add(ref table, tableStride))
            {
                ref float e0 = ref Unsafe.Add(ref table, Unsafe.Add(ref r0, g) * columns);
                a0 += Vector256.LoadUnsafe(ref e0);
                b0 += Vector256.LoadUnsafe(ref e0, Slice);
                c0 += Vector256.LoadUnsafe(ref e0, 2 * Slice);
                ref float e1 = ref Unsafe.Add(ref table, Unsafe.Add(ref r1, g) * columns);
                a1 += Vector256.LoadUnsafe(ref e1);
                b1 += Vector256.LoadUnsafe(ref e1, Slice);
                c1 += Vector256.LoadUnsafe(ref e1, 2 * Slice);
                ref float e2 = ref Unsafe.Add(ref table, Unsafe.Add(ref r2, g) * columns);
                a2 += Vector256.LoadUnsafe(ref e2);
                b2 += Vector256.LoadUnsafe(ref e2, Slice);
                c2 += Vector256.LoadUnsafe(ref e2, 2 * Slice);
                ref float e3 = ref Unsafe.Add(ref table, Unsafe.Add(ref r3, g) * columns);
                a3 += Vector256.LoadUnsafe(ref e3);
                b3 += Vector256.LoadUnsafe(ref e3, Slice);
                c3 += Vector256.LoadUnsafe(ref e3, 2 * Slice);
            }
            AddInto3(ref output, (nuint)(v * columns + slice), a0, b0, c0);
            AddInto3(ref output, (nuint)((v + 1) * columns + slice), a1, b1, c1);
            AddInto3(ref output, (nuint)((v + 2) * columns + slice), a2, b2, c2);
            AddInto3(ref output, (nuint)((v + 3) * columns + slice), a3, b3, c3);
        }
        for (; v < rowCount; v++)
        {
            ref byte r0 = ref Unsafe.Add(ref packed, (nint)v * stride);
            Vector256<float> a0 = Vector256<float>.Zero, b0 = a0, c0 = a0;
            ref float table = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(tables), slice);
            for (int g = first; g < end; g++, table = ref Unsafe.Add(ref table, tableStride))
            {
                ref float e0 = ref Unsafe.Add(ref table, Unsafe.Add(ref r0, g) * columns);
                a0 += Vector256.LoadUnsafe(ref e0);
                b0 += Vector256.LoadUnsafe(ref e0, Slice);
                c0 += Vector256.LoadUnsafe(ref e0, 2 * Slice);
            }
            AddInto3(ref output, (nuint)(v * columns + slice), a0, b0, c0);
        }
    }

    private static void AddRowLookupsScalar(ReadOnlySpan<byte> rows, int rowCount, int stride, int first, int end, float[] tables, int columns, int slice, Span<float> sums)
    {
        Span<float> acc = stackalloc float[Slice];
        for (int v = 0; v < rowCount; v++)
        {
            ReadOnlySpan<byte> row = rows.Slice(v * stride, stride);
            acc.Clear();
            for (int g = first; g < end; g++)
            {
                int offset = (g - first) * 256 * columns + row[g] * columns + slice;
                for (int c = 0; c < Slice; c++)
                {
                    acc[c] += tables[offset + c];
                }
            }
            for (int c = 0; c < Slice; c++)
            {
                sums[v * columns + slice + c] += acc[c];
            }
        }
    }

    /// <summary>output[s, slice..slice+8] += Σ_g table_g[index g of s], four samples at a time.</summary>
    private static void AddSampleLookupsVector(byte[] indices, int indexStride, int sampleCount, int groups, float[] tables, int columns, int slice, Span<float> output)
    {
        ref byte index = ref MemoryMarshal.GetArrayDataReference(indices);
        ref float table = ref MemoryMarshal.GetArrayDataReference(tables);
        ref float target = ref MemoryMarshal.GetReference(output);
        int tableStride = 256 * columns;
        int s = 0;
        for (; s + 4 <= sampleCount; s += 4)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            nint offset = slice;
            ref byte i = ref Unsafe.Add(ref index, s);
            for (int g = 0; g < groups; g++, offset += tableStride, i = ref Unsafe.Add(ref i, indexStride))
            {
                a0 += Vector256.LoadUnsafe(ref table, (nuint)(offset + i * columns));
                a1 += Vector256.LoadUnsafe(ref table, (nuint)(offset + Unsafe.Add(ref i, 1) * columns));
                a2 += Vector256.LoadUnsafe(ref table, (nuint)(offset + Unsafe.Add(ref i, 2) * columns));
                a3 += Vector256.LoadUnsafe(ref table, (nuint)(offset + Unsafe.Add(ref i, 3) * columns));
            }
            AddInto(ref target, (nuint)(s * columns + slice), a0);
            AddInto(ref target, (nuint)((s + 1) * columns + slice), a1);
            AddInto(ref target, (nuint)((s + 2) * columns + slice), a2);
            AddInto(ref target, (nuint)((s + 3) * columns + slice), a3);
        }
        for (; s < sampleCount; s++)
        {
            Vector256<float> a0 = Vector256<float>.Zero;
            nint offset = slice;
            for (int g = 0; g < groups; g++, offset += tableStride)
            {
                a0 += Vector256.LoadUnsafe(ref table, (nuint)(offset + Unsafe.Add(ref index, g * indexStride + s) * columns));
            }
            AddInto(ref target, (nuint)(s * columns + slice), a0);
        }
    }

    /// <summary><see cref="AddSampleLookupsVector"/> for three slices at once (see <see cref="AddRowLookupsVector3"/>).</summary>
    private static void AddSampleLookupsVector3(byte[] indices, int indexStride, int sampleCount, int groups, float[] tables, int columns, int slice, Span<float> output)
    {
        ref byte index = ref MemoryMarshal.GetArrayDataReference(indices);
        ref float target = ref MemoryMarshal.GetReference(output);
        int tableStride = 256 * columns;
        int s = 0;
        for (; s + 4 <= sampleCount; s += 4)
        {
            Vector256<float> a0 = Vector256<float>.Zero, b0 = a0, c0 = a0, a1 = a0, b1 = a0, c1 = a0, a2 = a0, b2 = a0, c2 = a0, a3 = a0, b3 = a0, c3 = a0;
            ref float table = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(tables), slice);
            ref byte i = ref Unsafe.Add(ref index, s);
            for (int g = 0; g < groups; g++, table = ref Unsafe.Add(ref table, tableStride), i = ref Unsafe.Add(ref i, indexStride))
            {
                ref float e0 = ref Unsafe.Add(ref table, i * columns);
                a0 += Vector256.LoadUnsafe(ref e0);
                b0 += Vector256.LoadUnsafe(ref e0, Slice);
                c0 += Vector256.LoadUnsafe(ref e0, 2 * Slice);
                ref float e1 = ref Unsafe.Add(ref table, Unsafe.Add(ref i, 1) * columns);
                a1 += Vector256.LoadUnsafe(ref e1);
                b1 += Vector256.LoadUnsafe(ref e1, Slice);
                c1 += Vector256.LoadUnsafe(ref e1, 2 * Slice);
                ref float e2 = ref Unsafe.Add(ref table, Unsafe.Add(ref i, 2) * columns);
                a2 += Vector256.LoadUnsafe(ref e2);
                b2 += Vector256.LoadUnsafe(ref e2, Slice);
                c2 += Vector256.LoadUnsafe(ref e2, 2 * Slice);
                ref float e3 = ref Unsafe.Add(ref table, Unsafe.Add(ref i, 3) * columns);
                a3 += Vector256.LoadUnsafe(ref e3);
                b3 += Vector256.LoadUnsafe(ref e3, Slice);
                c3 += Vector256.LoadUnsafe(ref e3, 2 * Slice);
            }
            AddInto3(ref target, (nuint)(s * columns + slice), a0, b0, c0);
            AddInto3(ref target, (nuint)((s + 1) * columns + slice), a1, b1, c1);
            AddInto3(ref target, (nuint)((s + 2) * columns + slice), a2, b2, c2);
            AddInto3(ref target, (nuint)((s + 3) * columns + slice), a3, b3, c3);
        }
        for (; s < sampleCount; s++)
        {
            Vector256<float> a0 = Vector256<float>.Zero, b0 = a0, c0 = a0;
            ref float table = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(tables), slice);
            for (int g = 0; g < groups; g++, table = ref Unsafe.Add(ref table, tableStride))
            {
                ref float e0 = ref Unsafe.Add(ref table, Unsafe.Add(ref index, g * indexStride + s) * columns);
                a0 += Vector256.LoadUnsafe(ref e0);
                b0 += Vector256.LoadUnsafe(ref e0, Slice);
                c0 += Vector256.LoadUnsafe(ref e0, 2 * Slice);
            }
            AddInto3(ref target, (nuint)(s * columns + slice), a0, b0, c0);
        }
    }

    private static void AddSampleLookupsScalar(byte[] indices, int indexStride, int sampleCount, int groups, float[] tables, int columns, int slice, Span<float> output)
    {
        Span<float> acc = stackalloc float[Slice];
        for (int s = 0; s < sampleCount; s++)
        {
            acc.Clear();
            for (int g = 0; g < groups; g++)
            {
                int offset = g * 256 * columns + indices[g * indexStride + s] * columns + slice;
                for (int c = 0; c < Slice; c++)
                {
                    acc[c] += tables[offset + c];
                }
            }
            for (int c = 0; c < Slice; c++)
            {
                output[s * columns + slice + c] += acc[c];
            }
        }
    }

    private static void AddInto3(ref float output, nuint at, Vector256<float> a, Vector256<float> b, Vector256<float> c)
    {
        AddInto(ref output, at, a);
        AddInto(ref output, at + Slice, b);
        AddInto(ref output, at + 2 * Slice, c);
    }

    private static void AddInto(ref float output, nuint at, Vector256<float> value) =>
        (Vector256.LoadUnsafe(ref output, at) + value).StoreUnsafe(ref output, at);
}
