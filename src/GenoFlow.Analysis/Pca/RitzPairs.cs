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
    public static (double[] Values, Matrix<double> Vectors, double Edge) Of(List<Matrix<double>[]> coefficients, int l, int k, long used)
    {
        int size = coefficients.Count * l;
        var t = Matrix<double>.Build.Dense(size, size);
        for (int i = 0; i < coefficients.Count; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                t.SetSubMatrix(j * l, i * l, coefficients[i][j]);
                t.SetSubMatrix(i * l, j * l, coefficients[i][j].Transpose());
            }
        }
        t = (t + t.Transpose()) / 2;
        var evd = t.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        int[] order = Enumerable.Range(0, size).OrderByDescending(i => evd.EigenValues[i].Real).ThenBy(i => i).Take(Math.Max(k, l)).ToArray();
        Matrix<double> vectors = Matrix<double>.Build.Dense(size, k, (row, c) => evd.EigenVectors[row, order[c]]);
        return (order.Take(k).Select(i => evd.EigenValues[i].Real / used).ToArray(), vectors, evd.EigenValues[order[^1]].Real / used);
    }

    /// <summary>A block of the Ritz vectors: Σⱼ Qⱼ,b Yⱼ for the Krylov basis Q₁..Qᵢ and the eigenvectors Y of T.</summary>
    public static double[] Block(ScratchStore store, int iterations, int block, int l, Matrix<double> y, int rows)
    {
        Matrix<double> result = Matrix<double>.Build.Dense(rows, y.ColumnCount);
        for (int j = 1; j <= iterations; j++)
        {
            result += KrylovBasis.Basis(store, j, block, l) * y.SubMatrix((j - 1) * l, l, 0, y.ColumnCount);
        }
        return result.ToRowMajorArray();
    }
}
