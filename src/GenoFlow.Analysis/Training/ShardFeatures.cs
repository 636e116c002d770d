using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GenoFlow.Analysis.Shards;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The standardised features of one training shard, computed on the fly from its packed genotypes and feature values.
/// A training shard's rows hold <c>[target, split, fold, extra features...]</c> (split 0 = train, 1 = test; fold the
/// row's cross-validation fold, −1 for test rows) and its genotypes the selected variants. The rows a fit uses are the
/// train rows outside the held-out fold (all train rows when no fold is held out); feature j &lt; V is variant j, feature V + c is extra column c. Standardised value
/// x_j = (raw − mean_j) · inverseSd_j, missing (or NaN, or inverseSd 0) → 0. A parameter vector θ holds p = V + C
/// weights and the intercept last.
/// <para>
/// Both kernels work a packed byte (four variants) at a time. Margins: per byte position b a 256-entry table
/// T_b[v] = Σ_k w_(4b+k) · x_(4b+k)(code k of v), so a row's genotype part is one lookup per byte. Gradients: residuals are
/// summed into a 256-entry accumulator per byte position (one add per byte), then each accumulator is split into the
/// four variants' per-code sums and weighted by the standardised values. Rows are visited in order and every sum runs
/// in a fixed order, so results are bit-identical whatever the node.
/// </para>
/// </summary>
internal sealed class ShardFeatures
{
    public const int TargetColumn = 0;
    public const int SplitColumn = 1;
    public const int FoldColumn = 2;
    public const int FirstExtraColumn = 3;

    /// <summary>The <see cref="TrainingStep.HoldOut"/> of a fit on every train row.</summary>
    public const int NoFold = -1;

    private readonly SampleShard _shard;
    private readonly double[] _mean;
    private readonly double[] _inverseSd;
    private readonly int _holdOut;

    public ShardFeatures(SampleShard shard, double[] scaling, int holdOut = NoFold)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(scaling);
        _shard = shard;
        _holdOut = holdOut;
        Variants = shard.Genotypes?.Variants ?? 0;
        Extras = shard.Columns - FirstExtraColumn;
        Parameters = Variants + Extras;
        if (scaling.Length != 2 * Parameters)
        {
            throw new InvalidDataException($"scaling piece holds {scaling.Length} values; shard {shard.Index} has {Parameters} features");
        }
        _mean = scaling[..Parameters];
        _inverseSd = scaling[Parameters..];
    }

    public int Variants { get; }

    public int Extras { get; }

    /// <summary>Feature count p (the intercept is one more).</summary>
    public int Parameters { get; }

    public int Rows => _shard.Rows;

    public double Target(int row) => _shard.Row(row)[TargetColumn];

    /// <summary>Whether the fit uses the row: a train row outside the held-out fold.</summary>
    public bool IsTrain(int row) => _shard.Row(row)[SplitColumn] == 0 && (_holdOut == NoFold || Fold(row) != _holdOut);

    /// <summary>Whether the row is in the held-out fold (and so scored, not fitted).</summary>
    public bool IsValidation(int row) => _holdOut != NoFold && Fold(row) == _holdOut;

    public int Fold(int row) => (int)_shard.Row(row)[FoldColumn];

    public bool IsTest(int row) => _shard.Row(row)[SplitColumn] != 0;

    /// <summary>into[group[j]] += θ_j x_rj over the features of row <paramref name="row"/>: its margin split by feature group.</summary>
    public void AddContributions(int row, ReadOnlySpan<double> theta, ReadOnlySpan<double> group, Span<double> into)
    {
        if (Variants > 0)
        {
            ReadOnlySpan<byte> packed = _shard.Genotypes!.Row(row);
            for (int j = 0; j < Variants; j++)
            {
                into[(int)group[j]] += theta[j] * Standardised(j, PackedGenotypes.GetCode(packed, j));
            }
        }
        for (int c = 0; c < Extras; c++)
        {
            into[(int)group[Variants + c]] += theta[Variants + c] * Extra(row, c);
        }
    }

    public int TrainRows
    {
        get
        {
            int count = 0;
            for (int r = 0; r < Rows; r++)
            {
                count += IsTrain(r) ? 1 : 0;
            }
            return count;
        }
    }

    /// <summary>Standardised value of variant <paramref name="variant"/> for genotype code <paramref name="code"/>.</summary>
    private double Standardised(int variant, int code)
    {
        int alt = PackedGenotypes.AltCountByCode[code];
        return alt < 0 ? 0 : (alt - _mean[variant]) * _inverseSd[variant];
    }

    public double Extra(int row, int extra)
    {
        double raw = _shard.Row(row)[FirstExtraColumn + extra];
        int j = Variants + extra;
        return double.IsNaN(raw) ? 0 : (raw - _mean[j]) * _inverseSd[j];
    }

    /// <summary>margins[r] = intercept + Σ_j θ_j x_rj for every row.</summary>
    public void Margins(ReadOnlySpan<double> theta, Span<double> margins)
    {
        int bytes = PackedGenotypes.RowBytes(Variants);
        double intercept = theta[Parameters];
        for (int r = 0; r < Rows; r++)
        {
            double sum = intercept;
            for (int c = 0; c < Extras; c++)
            {
                sum += theta[Variants + c] * Extra(r, c);
            }
            margins[r] = sum;
        }
        double[] table = ArrayPool<double>.Shared.Rent(ChunkBytes * 256);
        try
        {
            ref double t = ref MemoryMarshal.GetArrayDataReference(table);
            for (int first = 0; first < bytes; first += ChunkBytes)
            {
                int end = Math.Min(bytes, first + ChunkBytes);
                BuildTable(theta, table, first, end);
                for (int r = 0; r < Rows; r++)
                {
                    margins[r] += SumLookups(ref t, _shard.Genotypes!.Row(r)[first..end]);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(table);
        }
    }

    /// <summary>
    /// Byte positions handled per pass over the rows: the table (or accumulator) of a chunk is 128 KB, so it stays in
    /// the core's L2 cache while the rows stream past, instead of one random L3 access per byte.
    /// </summary>
    private const int ChunkBytes = 64;

    private static double SumLookups(ref double table, ReadOnlySpan<byte> row)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int b = 0;
        ref byte packed = ref MemoryMarshal.GetReference(row);
        for (; b + 4 <= row.Length; b += 4)
        {
            s0 += Unsafe.Add(ref table, (b << 8) + Unsafe.Add(ref packed, b));
            s1 += Unsafe.Add(ref table, ((b + 1) << 8) + Unsafe.Add(ref packed, b + 1));
            s2 += Unsafe.Add(ref table, ((b + 2) << 8) + Unsafe.Add(ref packed, b + 2));
            s3 += Unsafe.Add(ref table, ((b + 3) << 8) + Unsafe.Add(ref packed, b + 3));
        }
        for (; b < row.Length; b++)
        {
            s0 += Unsafe.Add(ref table, (b << 8) + Unsafe.Add(ref packed, b));
        }
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>The tables of byte positions [first, end): entry (b − first)·256 + v = Σ_k w_(4b+k) · x_(4b+k)(code k of v).</summary>
    private void BuildTable(ReadOnlySpan<double> theta, double[] table, int first, int end)
    {
        Span<double> values = stackalloc double[16];
        for (int b = first; b < end; b++)
        {
            for (int k = 0; k < 4; k++)
            {
                int j = 4 * b + k;
                for (int code = 0; code < 4; code++)
                {
                    values[4 * k + code] = j < Variants ? theta[j] * Standardised(j, code) : 0;
                }
            }
            Span<double> entries = table.AsSpan((b - first) << 8, 256);
            for (int v = 0; v < 256; v++)
            {
                entries[v] = (values[v & 3] + values[4 + ((v >> 2) & 3)]) + (values[8 + ((v >> 4) & 3)] + values[12 + (v >> 6)]);
            }
        }
    }

    /// <summary>gradient[j] += Σ_r residual[r] x_rj (and the intercept's Σ_r residual[r]); rows with residual 0 are skipped.</summary>
    public void AddGradient(ReadOnlySpan<double> residuals, Span<double> gradient)
    {
        double interceptSum = 0;
        for (int r = 0; r < Rows; r++)
        {
            double e = residuals[r];
            if (e == 0)
            {
                continue;
            }
            interceptSum += e;
            for (int c = 0; c < Extras; c++)
            {
                gradient[Variants + c] += e * Extra(r, c);
            }
        }
        gradient[Parameters] += interceptSum;
        int bytes = PackedGenotypes.RowBytes(Variants);
        double[] accumulator = ArrayPool<double>.Shared.Rent(ChunkBytes * 256);
        try
        {
            ref double acc = ref MemoryMarshal.GetArrayDataReference(accumulator);
            Span<double> perCode = stackalloc double[16];
            for (int first = 0; first < bytes; first += ChunkBytes)
            {
                int end = Math.Min(bytes, first + ChunkBytes);
                Array.Clear(accumulator, 0, (end - first) * 256);
                for (int r = 0; r < Rows; r++)
                {
                    double e = residuals[r];
                    if (e == 0)
                    {
                        continue;
                    }
                    ReadOnlySpan<byte> row = _shard.Genotypes!.Row(r)[first..end];
                    ref byte packed = ref MemoryMarshal.GetReference(row);
                    for (int b = 0; b < row.Length; b++)
                    {
                        Unsafe.Add(ref acc, (b << 8) + Unsafe.Add(ref packed, b)) += e;
                    }
                }
                for (int b = first; b < end; b++)
                {
                    perCode.Clear();
                    ReadOnlySpan<double> sums = accumulator.AsSpan((b - first) << 8, 256);
                    for (int v = 0; v < 256; v++)
                    {
                        double s = sums[v];
                        if (s != 0)
                        {
                            perCode[v & 3] += s;
                            perCode[4 + ((v >> 2) & 3)] += s;
                            perCode[8 + ((v >> 4) & 3)] += s;
                            perCode[12 + (v >> 6)] += s;
                        }
                    }
                    for (int k = 0; k < 4 && 4 * b + k < Variants; k++)
                    {
                        int j = 4 * b + k;
                        double g = 0;
                        for (int code = 0; code < 4; code++)
                        {
                            g += perCode[4 * k + code] * Standardised(j, code);
                        }
                        gradient[j] += g;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(accumulator);
        }
    }

    /// <summary>Train-row counts per genotype code (4 per variant), then per extra column n, Σx, Σx² over non-missing values.</summary>
    public double[] TrainMoments()
    {
        int bytes = PackedGenotypes.RowBytes(Variants);
        var counts = new long[Math.Max(1, bytes * 256)];
        var moments = new double[4 * Variants + 3 * Extras];
        for (int r = 0; r < Rows; r++)
        {
            if (!IsTrain(r))
            {
                continue;
            }
            if (Variants > 0)
            {
                ReadOnlySpan<byte> row = _shard.Genotypes!.Row(r);
                for (int b = 0; b < row.Length; b++)
                {
                    counts[(b << 8) + row[b]]++;
                }
            }
            for (int c = 0; c < Extras; c++)
            {
                double x = _shard.Row(r)[FirstExtraColumn + c];
                if (!double.IsNaN(x))
                {
                    moments[4 * Variants + 3 * c] += 1;
                    moments[4 * Variants + 3 * c + 1] += x;
                    moments[4 * Variants + 3 * c + 2] += x * x;
                }
            }
        }
        for (int b = 0; b < bytes; b++)
        {
            for (int v = 0; v < 256; v++)
            {
                long n = counts[(b << 8) + v];
                if (n == 0)
                {
                    continue;
                }
                for (int k = 0; k < 4 && 4 * b + k < Variants; k++)
                {
                    moments[4 * (4 * b + k) + ((v >> (2 * k)) & 3)] += n;
                }
            }
        }
        return moments;
    }

    /// <summary>The targets of the train rows where <paramref name="include"/> holds, in the order of <see cref="DenseTrainRows"/>.</summary>
    public double[] TrainTargets(Func<int, bool> include)
    {
        var targets = new List<double>();
        for (int r = 0; r < Rows; r++)
        {
            if (IsTrain(r) && include(r))
            {
                targets.Add(Target(r));
            }
        }
        return [.. targets];
    }

    /// <summary>Standardised features of the train rows where <paramref name="include"/> holds, densely, with a final column of ones (for the exact Gram matrix).</summary>
    public double[] DenseTrainRows(Func<int, bool> include, out int rows)
    {
        rows = 0;
        for (int r = 0; r < Rows; r++)
        {
            rows += IsTrain(r) && include(r) ? 1 : 0;
        }
        int width = Parameters + 1;
        var dense = new double[(long)rows * width];
        int i = 0;
        for (int r = 0; r < Rows; r++)
        {
            if (!IsTrain(r) || !include(r))
            {
                continue;
            }
            Span<double> target = dense.AsSpan(i * width, width);
            if (Variants > 0)
            {
                ReadOnlySpan<byte> row = _shard.Genotypes!.Row(r);
                for (int j = 0; j < Variants; j++)
                {
                    target[j] = Standardised(j, PackedGenotypes.GetCode(row, j));
                }
            }
            for (int c = 0; c < Extras; c++)
            {
                target[Variants + c] = Extra(r, c);
            }
            target[Parameters] = 1;
            i++;
        }
        return dense;
    }
}
