using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Simulation;

/// <summary>
/// The LD decay curve of a stream of variants: mean r² (dosage correlation over the samples called at both variants) of
/// pairs on the same chromosome, by distance bin. A writer, so it sees the variants as they are simulated. Bounded work
/// and memory whatever the cohort's size: r² is computed over at most <see cref="MaxSamples"/> evenly spaced samples,
/// between each of about <see cref="TargetAnchors"/> evenly spaced variants and the up to <see cref="Window"/>
/// variants before it.
/// </summary>
public sealed class LdDecay : IGenotypeWriter
{
    public const int MaxSamples = 1_000;
    public const int Window = 100;
    public const int TargetAnchors = 4_000;

    /// <summary>Upper bounds of the distance bins in bp, from 0; pairs farther apart than the last are not counted.</summary>
    public static readonly long[] BinEdges = [5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000];

    private readonly int _sampleCount;
    private readonly int[] _samples;
    private readonly int _stride;
    private readonly sbyte[][] _ring = new sbyte[Window][];
    private readonly string?[] _chrom = new string?[Window];
    private readonly long[] _position = new long[Window];
    private readonly double[] _sum = new double[BinEdges.Length];
    private readonly long[] _pairs = new long[BinEdges.Length];
    private long _seen;

    public LdDecay(int sampleCount, int variantCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(variantCount, 1);
        _sampleCount = sampleCount;
        int used = Math.Min(sampleCount, MaxSamples);
        _samples = [.. Enumerable.Range(0, used).Select(i => (int)((long)i * sampleCount / used))];
        _stride = Math.Max(1, variantCount / TargetAnchors);
        for (int i = 0; i < Window; i++)
        {
            _ring[i] = new sbyte[used];
        }
    }

    /// <summary>Mean r² and pair count per bin of <see cref="BinEdges"/> (NaN where a bin has no pairs).</summary>
    public IReadOnlyList<(long UpTo, double MeanR2, long Pairs)> Curve =>
        [.. BinEdges.Select((edge, b) => (edge, _pairs[b] == 0 ? double.NaN : _sum[b] / _pairs[b], _pairs[b]))];

    public void Write(VariantInfo variant, ReadOnlySpan<byte> packedRow)
    {
        ArgumentNullException.ThrowIfNull(variant);
        if (packedRow.Length != PackedGenotypes.RowBytes(_sampleCount))
        {
            throw new ArgumentException($"a row of {_sampleCount} samples has {PackedGenotypes.RowBytes(_sampleCount)} bytes, not {packedRow.Length}", nameof(packedRow));
        }
        int slot = (int)(_seen % Window);
        sbyte[] dosages = _ring[slot];
        ReadOnlySpan<sbyte> altCount = PackedGenotypes.AltCountByCode;
        for (int i = 0; i < _samples.Length; i++)
        {
            dosages[i] = altCount[PackedGenotypes.GetCode(packedRow, _samples[i])];
        }
        _chrom[slot] = variant.Chrom;
        _position[slot] = variant.Position;
        if (_seen % _stride == 0)
        {
            for (int back = 1; back < Window && back <= _seen; back++)
            {
                int other = (int)((_seen - back) % Window);
                if (_chrom[other] != variant.Chrom)
                {
                    break;
                }
                int bin = Bin(variant.Position - _position[other]);
                if (bin < 0)
                {
                    break;
                }
                double r2 = R2(dosages, _ring[other]);
                if (!double.IsNaN(r2))
                {
                    _sum[bin] += r2;
                    _pairs[bin]++;
                }
            }
        }
        _seen++;
    }

    public void Complete()
    {
    }

    public void Dispose()
    {
    }

    private static int Bin(long distance)
    {
        for (int b = 0; b < BinEdges.Length; b++)
        {
            if (distance < BinEdges[b])
            {
                return b;
            }
        }
        return -1;
    }

    /// <summary>Squared Pearson correlation of two dosage vectors over the entries called in both; NaN if either is constant.</summary>
    public static double R2(ReadOnlySpan<sbyte> x, ReadOnlySpan<sbyte> y)
    {
        long n = 0;
        long sx = 0;
        long sy = 0;
        long sxx = 0;
        long syy = 0;
        long sxy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            int a = x[i];
            int b = y[i];
            if ((a | b) >= 0)
            {
                n++;
                sx += a;
                sy += b;
                sxx += a * a;
                syy += b * b;
                sxy += a * b;
            }
        }
        double vx = (n * (double)sxx) - ((double)sx * sx);
        double vy = (n * (double)syy) - ((double)sy * sy);
        if (vx <= 0 || vy <= 0)
        {
            return double.NaN;
        }
        double cov = (n * (double)sxy) - ((double)sx * sy);
        return cov * cov / (vx * vy);
    }
}
