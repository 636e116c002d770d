using System.Buffers;
using System.Numerics;
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
/// Both products are lookup-table kernels (the Mailman idea of ProPCA, as in miraculix): a packed byte holds four
/// genotypes, so for each group of four samples (forward) or four variants (transposed) a 256-entry table of partial
/// sums is built once per call, and each byte of the genotypes costs one table row added per 8-column slice instead of
/// four dense rows. Tables are built for a chunk of groups at a time, sized to stay in L2. The vector and scalar paths
/// do the same float additions in the same order per element, so they give identical bits.
/// </para>
/// <para>
/// A cancellation token is checked once per chunk of tables (a few dozen samples or variants, some microseconds of
/// work apart), so a cancelled job stops mid-tile at no measurable cost.
/// </para>
/// </summary>
public static class NormalizedProduct
{
    /// <summary>Bytes of lookup tables built per chunk: well inside a 512 KB–1 MB L2 beside the rows and outputs streamed past them.</summary>
    private const int ChunkTableBytes = 256 * 1024;

    /// <summary>Floats per Vector256 step, the width of a table slice.</summary>
    private const int Slice = TableLookups.Slice;

    /// <summary>
    /// <c>output[v, c] = Σ_s x(v, s) · dense[s, c]</c>: rows × samples times samples × columns. Per group of four samples
    /// a table holds Σ_k a_k · dense[4g + k] for every byte (a the ALT count, 0 when missing), so a row's Σ_s a_s·dense[s]
    /// is one lookup per byte. Centring uses the column sums of the called samples: x·dense summed over a row is
    /// scale · (Σ a·dense − center · (Σ_all dense − Σ_missing dense)), the missing samples found with a bit scan.
    /// </summary>
    public static void Multiply(ReadOnlySpan<byte> rows, int rowCount, int sampleCount, ReadOnlySpan<double> center, ReadOnlySpan<double> scale,
        ReadOnlySpan<float> dense, int columns, Span<float> output, bool allowSimd = true, CancellationToken cancellation = default)
    {
        Check(rows, rowCount, sampleCount, center, scale, columns);
        Require(dense.Length == (long)sampleCount * columns, "dense", $"{sampleCount} x {columns} floats expected, got {dense.Length}");
        Require(output.Length == (long)rowCount * columns, "output", $"{rowCount} x {columns} floats expected, got {output.Length}");
        int stride = PackedGenotypes.RowBytes(sampleCount);
        bool simd = allowSimd && Vector256.IsHardwareAccelerated;
        int groupsPerChunk = GroupsPerChunk(columns);
        float[] sums = ArrayPool<float>.Shared.Rent(rowCount * columns);
        float[] tables = ArrayPool<float>.Shared.Rent(groupsPerChunk * 256 * columns);
        double[] missing = ArrayPool<double>.Shared.Rent(columns);
        float[] weighted = ArrayPool<float>.Shared.Rent(16 * columns);
        try
        {
            Span<float> altSums = sums.AsSpan(0, rowCount * columns);
            altSums.Clear();
            for (int first = 0; first < stride; first += groupsPerChunk)
            {
                cancellation.ThrowIfCancellationRequested();
                int end = Math.Min(stride, first + groupsPerChunk);
                for (int g = first; g < end; g++)
                {
                    MemberRows(dense, sampleCount, columns, g, false, center, scale, weighted.AsSpan(0, 16 * columns));
                    BuildTable(weighted.AsSpan(0, 16 * columns), columns, tables.AsSpan((g - first) * 256 * columns, 256 * columns), simd);
                }
                TableLookups.AddRowSums(rows, rowCount, stride, first, end, tables, columns, altSums, simd);
            }
            double[] columnSums = ColumnSums(dense, sampleCount, columns);
            Span<double> missingSums = missing.AsSpan(0, columns);
            for (int v = 0; v < rowCount; v++)
            {
                MissingSums(rows.Slice(v * stride, stride), sampleCount, dense, columns, missingSums, simd);
                ReadOnlySpan<float> alt = altSums.Slice(v * columns, columns);
                Span<float> target = output.Slice(v * columns, columns);
                for (int c = 0; c < columns; c++)
                {
                    target[c] = (float)(scale[v] * (alt[c] - center[v] * (columnSums[c] - missingSums[c])));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sums);
            ArrayPool<float>.Shared.Return(tables);
            ArrayPool<double>.Shared.Return(missing);
            ArrayPool<float>.Shared.Return(weighted);
        }
    }

    /// <summary>
    /// <c>output[s, c] += Σ_v x(v, s) · dense[v, c]</c>: the transposed product, samples × rows times rows × columns,
    /// added into <paramref name="output"/> (samples × columns). Per group of four variants a table holds
    /// Σ_k x_(4g+k)(code k) · dense[4g + k] for every combination of their four codes (missing weighs 0), so the
    /// normalisation is exact in the table; a sample's byte into it gathers its code in each of the four rows.
    /// </summary>
    public static void MultiplyTransposed(ReadOnlySpan<byte> rows, int rowCount, int sampleCount, ReadOnlySpan<double> center, ReadOnlySpan<double> scale,
        ReadOnlySpan<float> dense, int columns, Span<float> output, bool allowSimd = true, CancellationToken cancellation = default)
    {
        Check(rows, rowCount, sampleCount, center, scale, columns);
        Require(dense.Length == (long)rowCount * columns, "dense", $"{rowCount} x {columns} floats expected, got {dense.Length}");
        Require(output.Length == (long)sampleCount * columns, "output", $"{sampleCount} x {columns} floats expected, got {output.Length}");
        int stride = PackedGenotypes.RowBytes(sampleCount);
        bool simd = allowSimd && Vector256.IsHardwareAccelerated;
        int groups = (rowCount + 3) >> 2;
        int groupsPerChunk = GroupsPerChunk(columns);
        float[] tables = ArrayPool<float>.Shared.Rent(groupsPerChunk * 256 * columns);
        // Per group in the chunk, one table index per sample (padded to whole bytes of four samples).
        byte[] indices = ArrayPool<byte>.Shared.Rent(groupsPerChunk * stride * 4);
        float[] weighted = ArrayPool<float>.Shared.Rent(4 * 4 * columns);
        try
        {
            for (int first = 0; first < groups; first += groupsPerChunk)
            {
                cancellation.ThrowIfCancellationRequested();
                int end = Math.Min(groups, first + groupsPerChunk);
                for (int g = first; g < end; g++)
                {
                    MemberRows(dense, rowCount, columns, g, true, center, scale, weighted.AsSpan(0, 16 * columns));
                    BuildTable(weighted.AsSpan(0, 16 * columns), columns, tables.AsSpan((g - first) * 256 * columns, 256 * columns), simd);
                    GatherIndices(rows, rowCount, stride, g, indices.AsSpan((g - first) * stride * 4, stride * 4));
                }
                TableLookups.AddSampleSums(indices, stride * 4, sampleCount, end - first, tables, columns, output, simd);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tables);
            ArrayPool<byte>.Shared.Return(indices);
            ArrayPool<float>.Shared.Return(weighted);
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

    /// <summary>Groups whose tables fit <see cref="ChunkTableBytes"/> (at least one).</summary>
    private static int GroupsPerChunk(int columns) => Math.Max(1, ChunkTableBytes / (256 * columns * sizeof(float)));

    /// <summary>
    /// The 16 rows a group's table is built from, row 4k + code = the contribution of the group's k-th member (sample
    /// or variant 4·group + k of <paramref name="members"/>) with that code: a · dense[member] with a the ALT count
    /// (missing 0) for the forward table, or, when <paramref name="normalised"/>, x_v(code) · dense[v] for the transposed
    /// one. Members past the end contribute zero rows (padding bits of the last byte, or rows past the last).
    /// </summary>
    private static void MemberRows(ReadOnlySpan<float> dense, int members, int columns, int group, bool normalised, ReadOnlySpan<double> center,
        ReadOnlySpan<double> scale, Span<float> weighted)
    {
        weighted.Clear();
        for (int k = 0; k < 4; k++)
        {
            int member = 4 * group + k;
            if (member >= members)
            {
                break;
            }
            ReadOnlySpan<float> source = dense.Slice(member * columns, columns);
            for (int code = 0; code < 4; code++)
            {
                int a = PackedGenotypes.AltCountByCode[code];
                // Forward: a ∈ {0, 1, 2}, so the product is exact.
                double x = a < 0 ? 0 : normalised ? (a - center[member]) * scale[member] : a;
                Span<float> target = weighted.Slice((4 * k + code) * columns, columns);
                for (int c = 0; c < columns; c++)
                {
                    target[c] = (float)(x * source[c]);
                }
            }
        }
    }

    /// <summary>
    /// Entry b of the table = ((w[0, c0] + w[1, c1]) + w[2, c2]) + w[3, c3] for the codes c0..c3 of byte b, built member by
    /// member (4 + 16 + 64 + 256 row additions): entries for the low members first, each extended by the next member.
    /// </summary>
    private static void BuildTable(ReadOnlySpan<float> weighted, int columns, Span<float> table, bool simd)
    {
        weighted[..(4 * columns)].CopyTo(table);
        for (int k = 1; k < 4; k++)
        {
            int lower = 1 << (2 * k);
            // Extend top-down so the low entries are still intact when read.
            for (int code = 3; code >= 0; code--)
            {
                ReadOnlySpan<float> member = weighted.Slice((4 * k + code) * columns, columns);
                for (int low = 0; low < lower; low++)
                {
                    AddRows(table.Slice(low * columns, columns), member, table.Slice((code * lower + low) * columns, columns), simd);
                }
            }
        }
    }

    /// <summary><c>target = a + b</c> elementwise (target may alias a).</summary>
    private static void AddRows(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> target, bool simd)
    {
        int c = 0;
        if (simd)
        {
            ref float ra = ref MemoryMarshal.GetReference(a);
            ref float rb = ref MemoryMarshal.GetReference(b);
            ref float rt = ref MemoryMarshal.GetReference(target);
            for (; c + Slice <= target.Length; c += Slice)
            {
                (Vector256.LoadUnsafe(ref ra, (nuint)c) + Vector256.LoadUnsafe(ref rb, (nuint)c)).StoreUnsafe(ref rt, (nuint)c);
            }
        }
        for (; c < target.Length; c++)
        {
            target[c] = a[c] + b[c];
        }
    }

    /// <summary>
    /// For group g (rows 4g..4g+3), each sample's table index: its code in row 4g + k at bits 2k. A byte of each of the four
    /// rows (four samples) spreads into four indices through <see cref="Spread"/>. Rows past the last read as code 0,
    /// which their zero table rows ignore.
    /// </summary>
    private static void GatherIndices(ReadOnlySpan<byte> rows, int rowCount, int stride, int group, Span<byte> indices)
    {
        ReadOnlySpan<uint> spread = Spread;
        Span<uint> words = MemoryMarshal.Cast<byte, uint>(indices);
        words.Clear();
        for (int k = 0; k < 4; k++)
        {
            int v = 4 * group + k;
            if (v >= rowCount)
            {
                break;
            }
            ReadOnlySpan<byte> row = rows.Slice(v * stride, stride);
            int shift = 2 * k;
            for (int j = 0; j < stride; j++)
            {
                words[j] |= spread[row[j]] << shift;
            }
        }
    }

    /// <summary>Spread[b]: the four 2-bit codes of b, code k in the low bits of byte k.</summary>
    private static ReadOnlySpan<uint> Spread => SpreadTable;

    private static readonly uint[] SpreadTable = Enumerable.Range(0, 256)
        .Select(b => (uint)((b & 3) | ((b >> 2) & 3) << 8 | ((b >> 4) & 3) << 16 | ((b >> 6) & 3) << 24)).ToArray();

    /// <summary>Σ over the samples of each dense column, in sample order, in double.</summary>
    private static double[] ColumnSums(ReadOnlySpan<float> dense, int sampleCount, int columns)
    {
        var sums = new double[columns];
        for (int s = 0; s < sampleCount; s++)
        {
            for (int c = 0; c < columns; c++)
            {
                sums[c] += dense[s * columns + c];
            }
        }
        return sums;
    }

    /// <summary>
    /// Σ of the dense rows of the row's missing samples (code 01: low bit set, high bit clear), in sample order and in
    /// double like <see cref="ColumnSums"/>, so a row with every sample missing gives exactly 0. Missing calls are rare, so
    /// the row is scanned 32 samples (one 64-bit word) at a time and words without one are skipped.
    /// </summary>
    private static void MissingSums(ReadOnlySpan<byte> row, int sampleCount, ReadOnlySpan<float> dense, int columns, Span<double> sums, bool simd)
    {
        sums.Clear();
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(row);
        for (int w = 0; w < words.Length; w++)
        {
            AddMissing(words[w] & ~(words[w] >> 1) & 0x5555_5555_5555_5555UL, 32 * w, sampleCount, dense, columns, sums, simd);
        }
        for (int j = 8 * words.Length; j < row.Length; j++)
        {
            AddMissing((ulong)(row[j] & ~(row[j] >> 1) & 0x55), 4 * j, sampleCount, dense, columns, sums, simd);
        }
    }

    /// <summary>Adds the dense rows of the samples whose bit 2k is set in <paramref name="missing"/> (sample first + k).</summary>
    private static void AddMissing(ulong missing, int first, int sampleCount, ReadOnlySpan<float> dense, int columns, Span<double> sums, bool simd)
    {
        while (missing != 0)
        {
            int s = first + (BitOperations.TrailingZeroCount(missing) >> 1);
            missing &= missing - 1;
            if (s >= sampleCount)
            {
                return;
            }
            ReadOnlySpan<float> source = dense.Slice(s * columns, columns);
            int c = 0;
            if (simd)
            {
                ref float from = ref MemoryMarshal.GetReference(source);
                ref double to = ref MemoryMarshal.GetReference(sums);
                for (; c + Slice <= columns; c += Slice)
                {
                    (Vector256<double> low, Vector256<double> high) = Vector256.Widen(Vector256.LoadUnsafe(ref from, (nuint)c));
                    (Vector256.LoadUnsafe(ref to, (nuint)c) + low).StoreUnsafe(ref to, (nuint)c);
                    (Vector256.LoadUnsafe(ref to, (nuint)c + 4) + high).StoreUnsafe(ref to, (nuint)c + 4);
                }
            }
            for (; c < columns; c++)
            {
                sums[c] += source[c];
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
