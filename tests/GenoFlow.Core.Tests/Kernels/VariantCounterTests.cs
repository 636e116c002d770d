using System.Runtime.Intrinsics.X86;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Kernels;
using GenoFlow.Core.Tests.Genotypes;

namespace GenoFlow.Core.Tests.Kernels;

public class VariantCounterTests
{
    public static TheoryData<int> SampleCounts => [1, 3, 4, 31, 32, 127, 128, 129, 1000, 4096 * 31 + 13, 4096 * 40];

    [Theory]
    [MemberData(nameof(SampleCounts))]
    public void Fast_paths_match_the_naive_count(int samples)
    {
        var random = new Random(samples);
        byte[] row = RandomRow(random, samples);
        GenotypeCounts expected = VariantCounter.CountNaive(row, samples);

        Assert.Equal(expected, VariantCounter.CountUnsafe(row, samples));
        Assert.Equal(expected.Total, samples);

        var (homRef, het, missing) = VariantCounter.CountScalar(row);
        Assert.Equal((expected.HomRef, expected.Het, expected.Missing), (homRef, het, missing));
        if (Avx2.IsSupported)
        {
            Assert.Equal((expected.HomRef, expected.Het, expected.Missing), VariantCounter.CountAvx2(row));
        }
    }

    [Fact]
    public void Counts_of_a_row_that_is_all_one_genotype()
    {
        const int samples = 1003;
        foreach (sbyte value in new sbyte[] { 0, 1, 2, -1 })
        {
            byte[] row = new byte[PackedGenotypes.RowBytes(samples)];
            PackedGenotypes.Pack(Enumerable.Repeat(value, samples).ToArray(), row);
            GenotypeCounts counts = VariantCounter.CountUnsafe(row, samples);
            long[] expected = [value == 0 ? samples : 0, value == 1 ? samples : 0, value == 2 ? samples : 0, value == -1 ? samples : 0];
            Assert.Equal(expected, new[] { counts.HomRef, counts.Het, counts.HomAlt, counts.Missing });
        }
    }

    [Fact]
    public void Alt_frequency_counts_alleles_among_called_genotypes()
    {
        var counts = new GenotypeCounts(HomRef: 5, Het: 4, HomAlt: 1, Missing: 10);
        Assert.Equal(6.0 / 20.0, counts.AltFrequency, 12);
        Assert.True(double.IsNaN(new GenotypeCounts(0, 0, 0, 3).AltFrequency));
    }

    private static byte[] RandomRow(Random random, int samples)
    {
        byte[] row = new byte[PackedGenotypes.RowBytes(samples)];
        PackedGenotypes.Pack(PackedGenotypesTests.RandomCounts(random, samples), row);
        return row;
    }
}
