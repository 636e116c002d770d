using GenoFlow.Analysis.Pca;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Tests.Pca;

public class BlockProductsTests
{
    [Theory]
    [InlineData(1, 8)]
    [InlineData(37, 24)]
    [InlineData(513, 64)]
    public void Both_paths_give_the_same_bits_and_match_mathnet(int rows, int l)
    {
        var random = new Random(rows + l);
        float[] q = Enumerable.Range(0, rows * l).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        double[] w = Enumerable.Range(0, rows * l).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] p = Enumerable.Range(0, l * l).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        Matrix<double> qm = Matrix<double>.Build.Dense(rows, l, (r, c) => q[r * l + c]);
        Matrix<double> wm = Matrix<double>.Build.DenseOfRowMajor(rows, l, w);

        var simd = new double[l * l];
        var scalar = new double[l * l];
        BlockProducts.AddTransposedProduct(q, w, l, simd);
        BlockProducts.AddTransposedProduct(q, w, l, scalar, allowSimd: false);
        Assert.Equal(scalar, simd);
        AssertClose((qm.TransposeThisAndMultiply(wm)).ToRowMajorArray(), simd, rows);

        double[] subtractedSimd = (double[])w.Clone();
        double[] subtractedScalar = (double[])w.Clone();
        BlockProducts.SubtractProduct(q, p, l, subtractedSimd);
        BlockProducts.SubtractProduct(q, p, l, subtractedScalar, allowSimd: false);
        Assert.Equal(subtractedScalar, subtractedSimd);
        AssertClose((wm - qm * Matrix<double>.Build.DenseOfRowMajor(l, l, p)).ToRowMajorArray(), subtractedSimd, l);
    }

    private static void AssertClose(double[] expected, double[] actual, int terms)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-13 * terms, $"entry {i}: {actual[i]} vs {expected[i]}");
        }
    }
}
