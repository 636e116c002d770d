using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Kernels;

namespace GenoFlow.Core.Tests.Kernels;

public class NormalizedProductTests
{
    // Awkward shapes for the lookup tables: sample and row counts not divisible by 4 (padding bits and padding rows of a
    // group), 8 to 64 columns (one to eight slices; 64 makes a chunk one group wide), more groups than one chunk holds.
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 8 }, { 7, 3, 8 }, { 33, 129, 16 }, { 97, 1003, 24 }, { 5, 4096 + 5, 40 }, { 2, 2, 64 }, { 13, 4098, 56 }, { 203, 77, 32 }, { 6, 41, 48 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_matches_the_naive_product_on_both_paths(int rows, int samples, int columns)
    {
        var (packed, center, scale, _) = Random(rows, samples, columns, seed: rows * 31 + samples);
        float[] dense = Dense(samples * columns, seed: columns);
        var expected = new double[rows * columns];
        NormalizedProduct.MultiplyNaive(packed, rows, samples, center, scale, dense, columns, expected);
        var simd = new float[rows * columns];
        var scalar = new float[rows * columns];
        NormalizedProduct.Multiply(packed, rows, samples, center, scale, dense, columns, simd);
        NormalizedProduct.Multiply(packed, rows, samples, center, scale, dense, columns, scalar, allowSimd: false);
        Assert.Equal(scalar, simd);
        AssertClose(expected, simd, samples);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyTransposed_matches_the_naive_product_on_both_paths(int rows, int samples, int columns)
    {
        var (packed, center, scale, _) = Random(rows, samples, columns, seed: rows * 17 + samples);
        float[] dense = Dense(rows * columns, seed: columns + 1);
        var expected = new double[samples * columns];
        NormalizedProduct.MultiplyTransposedNaive(packed, rows, samples, center, scale, dense, columns, expected);
        var simd = new float[samples * columns];
        var scalar = new float[samples * columns];
        NormalizedProduct.MultiplyTransposed(packed, rows, samples, center, scale, dense, columns, simd);
        NormalizedProduct.MultiplyTransposed(packed, rows, samples, center, scale, dense, columns, scalar, allowSimd: false);
        Assert.Equal(scalar, simd);
        AssertClose(expected, simd, rows);
    }

    [Fact]
    public void Missing_genotypes_and_dropped_variants_contribute_nothing()
    {
        byte[] row = new byte[PackedGenotypes.RowBytes(6)];
        PackedGenotypes.Pack([-1, -1, 2, -1, 0, 1], row);
        float[] dense = Enumerable.Range(0, 6 * 8).Select(i => (float)(i + 1)).ToArray();
        var output = new float[8];
        NormalizedProduct.Multiply(row, 1, 6, [0.5], [2.0], dense, 8, output);
        // x = (2-0.5)*2 = 3 for sample 2, -1 for sample 4, 1 for sample 5.
        for (int c = 0; c < 8; c++)
        {
            Assert.Equal(3 * dense[16 + c] - dense[32 + c] + dense[40 + c], output[c], 4);
        }
        NormalizedProduct.Multiply(row, 1, 6, [0.5], [0.0], dense, 8, output);
        Assert.All(output, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(9, 23, 8)]
    [InlineData(10, 1030, 64)]
    public void All_missing_rows_give_zero_and_leave_the_others_exact(int rows, int samples, int columns)
    {
        var (packed, center, scale, stride) = Random(rows, samples, columns, seed: 7);
        for (int v = 0; v < rows; v += 3)
        {
            PackedGenotypes.Pack(Enumerable.Repeat((sbyte)-1, samples).ToArray(), packed.AsSpan(v * stride, stride));
        }
        float[] forwardDense = Dense(samples * columns, seed: 3);
        var forward = new float[rows * columns];
        var forwardScalar = new float[rows * columns];
        NormalizedProduct.Multiply(packed, rows, samples, center, scale, forwardDense, columns, forward);
        NormalizedProduct.Multiply(packed, rows, samples, center, scale, forwardDense, columns, forwardScalar, allowSimd: false);
        Assert.Equal(forwardScalar, forward);
        var expected = new double[rows * columns];
        NormalizedProduct.MultiplyNaive(packed, rows, samples, center, scale, forwardDense, columns, expected);
        AssertClose(expected, forward, samples);
        for (int v = 0; v < rows; v += 3)
        {
            Assert.All(forward.AsSpan(v * columns, columns).ToArray(), x => Assert.Equal(0f, Math.Abs(x)));
        }
        float[] transposedDense = Dense(rows * columns, seed: 4);
        var transposed = new float[samples * columns];
        var transposedScalar = new float[samples * columns];
        NormalizedProduct.MultiplyTransposed(packed, rows, samples, center, scale, transposedDense, columns, transposed);
        NormalizedProduct.MultiplyTransposed(packed, rows, samples, center, scale, transposedDense, columns, transposedScalar, allowSimd: false);
        Assert.Equal(transposedScalar, transposed);
        var expectedTransposed = new double[samples * columns];
        NormalizedProduct.MultiplyTransposedNaive(packed, rows, samples, center, scale, transposedDense, columns, expectedTransposed);
        AssertClose(expectedTransposed, transposed, rows);
    }

    [Fact]
    public void Padding_bits_of_the_last_byte_contribute_nothing()
    {
        // 5 samples: the second byte holds sample 4 and three padding codes 00, which read as hom ALT if counted.
        byte[] row = new byte[PackedGenotypes.RowBytes(5)];
        PackedGenotypes.Pack([0, 1, 2, -1, 1], row);
        float[] dense = Enumerable.Range(0, 5 * 8).Select(i => (float)(i % 8 + 1)).ToArray();
        var output = new float[8];
        NormalizedProduct.Multiply(row, 1, 5, [1.0], [1.0], dense, 8, output);
        // x = -1, 0, 1, missing, 0 → Σ x · dense[s] = -dense[0] + dense[2] = 0.
        Assert.All(output, v => Assert.Equal(0f, v));
        var transposed = new float[5 * 8];
        NormalizedProduct.MultiplyTransposed(row, 1, 5, [1.0], [1.0], dense.AsSpan(0, 8).ToArray(), 8, transposed);
        Assert.Equal(-dense[0], transposed[0]);
        Assert.Equal(0f, transposed[8 * 1]);
        Assert.Equal(dense[0], transposed[8 * 2]);
        Assert.Equal(0f, transposed[8 * 3]);
        Assert.Equal(0f, transposed[8 * 4]);
    }

    [Fact]
    public void Columns_must_be_a_multiple_of_eight()
    {
        byte[] row = new byte[1];
        Assert.Throws<ArgumentException>(() => NormalizedProduct.Multiply(row, 1, 4, [1.0], [1.0], new float[4 * 5], 5, new float[5]));
    }

    private static (byte[] Packed, double[] Center, double[] Scale, int Stride) Random(int rows, int samples, int columns, int seed)
    {
        var random = new Random(seed);
        int stride = PackedGenotypes.RowBytes(samples);
        var packed = new byte[rows * stride];
        var counts = new sbyte[samples];
        var center = new double[rows];
        var scale = new double[rows];
        for (int v = 0; v < rows; v++)
        {
            for (int s = 0; s < samples; s++)
            {
                counts[s] = (sbyte)(random.NextDouble() < 0.05 ? -1 : random.Next(3));
            }
            PackedGenotypes.Pack(counts, packed.AsSpan(v * stride, stride));
            double p = 0.05 + 0.9 * random.NextDouble();
            center[v] = 2 * p;
            scale[v] = v % 11 == 10 ? 0 : 1 / Math.Sqrt(2 * p * (1 - p));
        }
        return (packed, center, scale, stride);
    }

    private static float[] Dense(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static void AssertClose(double[] expected, float[] actual, int terms)
    {
        double tolerance = 1e-5 * Math.Sqrt(terms) * 4;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"entry {i}: {actual[i]} vs naive {expected[i]}");
        }
    }
}
