using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The eigendecomposition behind exact ridge's penalty searches without folds (<see cref="GeneralisedCrossValidation"/>,
/// <see cref="LeaveOneOut"/>). The intercept is unpenalised, so the features are centred in the summed Gram pieces:
/// C = X̃ᵀX̃ − s sᵀ/n = V Λ Vᵀ (s the column sums), and q = Vᵀ X̃cᵀy_c.
/// </summary>
/// <param name="N">Training rows (the intercept's diagonal entry).</param>
/// <param name="CentredYy">Σ (y − ȳ)².</param>
/// <param name="Means">The features' means over the training rows (p).</param>
/// <param name="Eigenvalues">Λ, clamped at 0 (p).</param>
/// <param name="Vectors">V (p x p).</param>
/// <param name="ProjectedXty">q (p).</param>
internal sealed record CentredGram(double N, double MeanY, double CentredYy, double[] Means, double[] Eigenvalues, Matrix<double> Vectors, Vector<double> ProjectedXty)
{
    /// <param name="sums">X̃ᵀX̃ (w x w, the intercept's column last), X̃ᵀy and yᵀy, as <see cref="GramOperation"/> writes them.</param>
    public static CentredGram Decompose(double[] sums, int w)
    {
        int p = w - 1;
        double n = sums[w * w - 1];
        double meanY = sums[w * w + p] / n;
        Matrix<double> centred = Matrix<double>.Build.Dense(p, p, (i, j) => sums[j * w + i] - sums[p * w + i] * sums[p * w + j] / n);
        Vector<double> xty = Vector<double>.Build.Dense(p, j => sums[w * w + j] - sums[p * w + j] * meanY);
        var evd = centred.Evd(Symmetricity.Symmetric);
        // Rounding leaves eigenvalues of a rank-deficient C (constant features, p > n) slightly negative.
        double[] eigenvalues = [.. evd.EigenValues.Select(v => Math.Max(0, v.Real))];
        double[] means = [.. Enumerable.Range(0, p).Select(j => sums[p * w + j] / n)];
        return new CentredGram(n, meanY, sums[^1] - n * meanY * meanY, means, eigenvalues, evd.EigenVectors, evd.EigenVectors.TransposeThisAndMultiply(xty));
    }
}
