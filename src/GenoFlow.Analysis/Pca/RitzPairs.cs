using GenoFlow.Analysis.Execution;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Pca;

/// <summary>The Ritz values and vectors of <see cref="RandomizedPca"/>: the eigenpairs of XᵀX within the Krylov basis.</summary>
internal static class RitzPairs
{
    /// <summary>
    /// The top-K eigenpairs of T = Qᵀ XᵀX Q, assembled from the projections (block column i of T holds Qⱼᵀ XᵀX Qᵢ for
    /// j ≤ i; T is symmetric, so the rest mirrors it). Eigenvalues on the GRM scale (÷ M). <c>Edge</c> is the l-th largest
    /// Ritz value: with l > K a value from the noise bulk, which <see cref="StoppingRule"/> compares the top K with.
    /// </summary>
    public static (double[] Values, Matrix<double> Vectors, double Edge) Of(List<double[][]> coefficients, int l, int k, long used)
    {
        int size = coefficients.Count * l;
        var t = Matrix<double>.Build.Dense(size, size);
        for (int i = 0; i < coefficients.Count; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                Matrix<double> block = Matrix<double>.Build.DenseOfRowMajor(l, l, coefficients[i][j]);
                t.SetSubMatrix(j * l, i * l, block);
                t.SetSubMatrix(i * l, j * l, block.Transpose());
            }
        }
        t = (t + t.Transpose()) / 2;
        var evd = t.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        int[] order = Enumerable.Range(0, size).OrderByDescending(i => evd.EigenValues[i].Real).ThenBy(i => i).Take(Math.Max(k, l)).ToArray();
        Matrix<double> vectors = Matrix<double>.Build.Dense(size, k, (row, c) => evd.EigenVectors[row, order[c]]);
        return (order.Take(k).Select(i => evd.EigenValues[i].Real / used).ToArray(), vectors, evd.EigenValues[order[^1]].Real / used);
    }

    /// <summary>A block of the Ritz vectors: Σⱼ Qⱼ,b Yⱼ for the Krylov basis Q₁..Qᵢ and the eigenvectors Y of T.</summary>
    public static double[] Block(KrylovBasis basis, int iterations, int block, int l, Matrix<double> y, int rows)
    {
        int k = y.ColumnCount;
        var result = new double[rows * k];
        for (int j = 1; j <= iterations; j++)
        {
            float[] q = basis.Basis(j, block);
            double[] coefficients = y.SubMatrix((j - 1) * l, l, 0, k).ToRowMajorArray();
            for (int r = 0; r < rows; r++)
            {
                for (int a = 0; a < l; a++)
                {
                    double qa = q[r * l + a];
                    for (int c = 0; c < k; c++)
                    {
                        result[r * k + c] += qa * coefficients[a * k + c];
                    }
                }
            }
        }
        return result;
    }
}
