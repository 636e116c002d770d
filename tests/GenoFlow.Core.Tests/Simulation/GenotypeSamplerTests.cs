using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Core.Tests.Simulation;

public sealed class GenotypeSamplerTests
{
    private static int[] CountCodes(ReadOnlySpan<byte> row, int from, int to)
    {
        var counts = new int[4];
        for (int i = from; i < to; i++)
        {
            counts[PackedGenotypes.GetCode(row, i)]++;
        }
        return counts;
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.05)]
    [InlineData(0.93)]
    public void Genotype_frequencies_are_binomial(double p)
    {
        const int n = 400_003;
        byte[] row = new byte[PackedGenotypes.RowBytes(n)];
        var rng = new Xoshiro256(7, 0);
        GenotypeSampler.Fill(row, [0, n], [GenotypeSampler.Thresholds.ForAltFrequency(p)], ref rng);

        int[] counts = CountCodes(row, 0, n);
        double q = 1 - p;
        // Binomial standard error is below 0.0008 here; 0.004 is five of them.
        Assert.Equal(p * p, (double)counts[PackedGenotypes.HomAlt] / n, 0.004);
        Assert.Equal(2 * p * q, (double)counts[PackedGenotypes.Het] / n, 0.004);
        Assert.Equal(q * q, (double)counts[PackedGenotypes.HomRef] / n, 0.004);
        Assert.Equal(0, counts[PackedGenotypes.Missing]);
        Assert.Equal(0, row[^1] >> 6);
    }

    [Fact]
    public void Each_population_range_uses_its_own_frequency_across_unaligned_boundaries()
    {
        int[] starts = [0, 10_001, 60_002, 100_001];
        double[] p = [0.0, 1.0, 0.5];
        byte[] row = new byte[PackedGenotypes.RowBytes(starts[^1])];
        var rng = new Xoshiro256(3, 9);
        GenotypeSampler.Fill(row, starts, [.. p.Select(GenotypeSampler.Thresholds.ForAltFrequency)], ref rng);

        Assert.Equal(10_001, CountCodes(row, 0, 10_001)[PackedGenotypes.HomRef]);
        Assert.Equal(50_001, CountCodes(row, 10_001, 60_002)[PackedGenotypes.HomAlt]);
        int[] mixed = CountCodes(row, 60_002, 100_001);
        Assert.Equal(0.5, (double)mixed[PackedGenotypes.Het] / 39_999, 0.02);
        Assert.Equal(0, row[^1] >> 2);
    }

    /// <summary>The plain per-genotype definition the SWAR kernel must reproduce bit for bit.</summary>
    private static void FillReference(Span<byte> row, int[] starts, GenotypeSampler.Thresholds[] thresholds, ref Xoshiro256 rng)
    {
        row.Clear();
        for (int k = 0; k < thresholds.Length; k++)
        {
            int i = starts[k];
            int end = starts[k + 1];
            while (i < end)
            {
                bool wholeByte = (i & 3) == 0 && i + 4 <= end;
                ulong r = rng.NextUInt64();
                for (int lane = 0; lane < (wholeByte ? 4 : 1); lane++, i++)
                {
                    int u = (int)((r >> (16 * lane)) & 0x7FFF);
                    int code = ((u >= thresholds[k].HomAlt ? 1 : 0) << 1) | (u >= thresholds[k].NotHomRef ? 1 : 0);
                    PackedGenotypes.SetCode(row, i, (byte)code);
                }
            }
        }
    }

    [Fact]
    public void Swar_kernel_matches_the_per_genotype_reference()
    {
        int[] starts = [0, 3, 3, 1_030, 5_001, 5_003, 9_999];
        double[] p = [0.5, 0.2, 0.0, 1.0, 0.73, 0.05];
        GenotypeSampler.Thresholds[] thresholds = [.. p.Select(GenotypeSampler.Thresholds.ForAltFrequency)];
        byte[] fast = new byte[PackedGenotypes.RowBytes(starts[^1])];
        byte[] reference = new byte[fast.Length];
        var rngFast = new Xoshiro256(21, 4);
        var rngReference = new Xoshiro256(21, 4);
        GenotypeSampler.Fill(fast, starts, thresholds, ref rngFast);
        FillReference(reference, starts, thresholds, ref rngReference);
        Assert.Equal(reference, fast);
        Assert.Equal(rngReference.NextUInt64(), rngFast.NextUInt64());
    }

    [Fact]
    public void Missing_rate_matches_and_zero_rate_marks_nothing()
    {
        const int n = 200_000;
        byte[] row = new byte[PackedGenotypes.RowBytes(n)];
        var rng = new Xoshiro256(1, 1);
        GenotypeSampler.Fill(row, [0, n], [GenotypeSampler.Thresholds.ForAltFrequency(0.5)], ref rng);
        byte[] before = (byte[])row.Clone();
        GenotypeSampler.ApplyMissing(row, n, 0, ref rng);
        Assert.Equal(before, row);

        GenotypeSampler.ApplyMissing(row, n, 0.1, ref rng);
        Assert.Equal(0.1, (double)CountCodes(row, 0, n)[PackedGenotypes.Missing] / n, 0.004);
    }

    [Fact]
    public void Beta_draws_have_the_balding_nichols_mean_and_variance()
    {
        const double p = 0.2;
        const double f = 0.1;
        var rng = new Xoshiro256(11, 0);
        double[] draws = [.. Enumerable.Range(0, 200_000).Select(_ => rng.NextBeta(p * (1 - f) / f, (1 - p) * (1 - f) / f))];
        double mean = draws.Average();
        double variance = draws.Sum(x => (x - mean) * (x - mean)) / draws.Length;
        Assert.Equal(p, mean, 0.002);
        Assert.Equal(f * p * (1 - p), variance, 0.0005);
        Assert.All(draws, x => Assert.InRange(x, 0.0, 1.0));
    }

    [Fact]
    public void Normal_draws_are_standard()
    {
        var rng = new Xoshiro256(5, 5);
        double[] draws = [.. Enumerable.Range(0, 200_000).Select(_ => rng.NextNormal())];
        double mean = draws.Average();
        Assert.Equal(0, mean, 0.01);
        Assert.Equal(1, draws.Sum(x => (x - mean) * (x - mean)) / draws.Length, 0.015);
    }

    [Fact]
    public void Random_streams_are_fixed_by_seed_and_stream()
    {
        var a = new Xoshiro256(42, 7);
        var b = new Xoshiro256(42, 7);
        var c = new Xoshiro256(42, 8);
        ulong first = a.NextUInt64();
        Assert.Equal(first, b.NextUInt64());
        Assert.NotEqual(first, c.NextUInt64());
    }
}
