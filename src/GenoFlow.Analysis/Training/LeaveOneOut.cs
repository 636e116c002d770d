using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Exact leave-one-out cross-validation of exact ridge, as scikit-learn's <c>RidgeCV</c> computes it: row i's
/// leave-one-out residual is e_i / (1 − h_ii), e_i its residual under the fit on all rows and h_ii its leverage, exact
/// for any quadratic penalty that does not depend on the rows (the left-out fit keeps the summed penalty n·l2, as
/// RidgeCV keeps alpha). The intercept is unpenalised, so with the centred Gram matrix C = X̃cᵀX̃c = V Λ Vᵀ, one row's
/// projections z = Vᵀ(x̃ − mean) give, for every l2 at once (d_k = λ_k + n·l2, q = Vᵀ X̃cᵀy):
/// h_ii = 1/n + Σ z_k²/d_k and the fitted value ȳ + Σ z_k q_k/d_k.
/// <para>
/// The Gram sums give every row's projections only where the row is, so the coordinator writes one basis piece
/// (<see cref="Basis"/>: V, the means and the per-l2 weights 1/d_k and q_k/d_k) and one scatter of
/// <see cref="LeaveOneOutOperation"/> returns each shard's summed squared leave-one-out residuals per l2 of
/// <see cref="Grid"/> (a vector of its length): no row leaves its shard, and no pass per l2.
/// </para>
/// </summary>
internal sealed class LeaveOneOut
{
    /// <summary>Points of <see cref="Grid"/> per decade: every 32nd is a half-decade point of <see cref="TrainingSettings.L2Grid"/>.</summary>
    public const int PointsPerDecade = 64;

    private readonly int _p;
    private readonly double _n;
    private readonly double _meanY;
    private readonly double[] _means;
    private readonly double[] _eigenvalues;
    private readonly Matrix<double> _vectors;
    private readonly Vector<double> _projectedXty;

    /// <summary>
    /// The l2 values scored: 10^-3 … 10^2 at 1/64 of a decade (321 points), all in the one pass. A golden-section
    /// search would need a pass per point; scoring them all costs 2p multiply-adds per row and point, less than the
    /// rows' projections (p² each). It holds scikit-learn's 41-point test grid (every 8th point).
    /// </summary>
    public static IReadOnlyList<double> Grid { get; } =
        [.. Enumerable.Range(0, 5 * PointsPerDecade + 1).Select(i => Math.Pow(10, -3 + (double)i / PointsPerDecade))];

    private LeaveOneOut(int p, double n, double meanY, double[] means, double[] eigenvalues, Matrix<double> vectors, Vector<double> projectedXty)
    {
        _p = p;
        _n = n;
        _meanY = meanY;
        _means = means;
        _eigenvalues = eigenvalues;
        _vectors = vectors;
        _projectedXty = projectedXty;
    }

    /// <param name="sums">X̃ᵀX̃ (w x w, the intercept's column last), X̃ᵀy and yᵀy, as <see cref="GramOperation"/> writes them.</param>
    public static LeaveOneOut FromGram(double[] sums, int w)
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
        return new LeaveOneOut(p, n, meanY, means, eigenvalues, evd.EigenVectors, evd.EigenVectors.TransposeThisAndMultiply(xty));
    }

    /// <summary>
    /// The piece every shard reads: V (p x p, column-major), the feature means (p), ȳ, 1/n, then per l2 of
    /// <paramref name="l2s"/> the weights 1/d_k and q_k/d_k (each an A x p column-major block).
    /// </summary>
    public double[] Basis(IReadOnlyList<double> l2s)
    {
        ArgumentNullException.ThrowIfNull(l2s);
        int a = l2s.Count;
        var basis = new double[(long)_p * _p + _p + 2 + 2L * a * _p];
        _vectors.AsColumnMajorArray().CopyTo(basis, 0);
        int at = _p * _p;
        _means.CopyTo(basis, at);
        at += _p;
        basis[at++] = _meanY;
        basis[at++] = 1 / _n;
        for (int k = 0; k < _p; k++)
        {
            for (int l = 0; l < a; l++)
            {
                double d = _eigenvalues[k] + _n * l2s[l];
                basis[at + k * a + l] = 1 / d;
                basis[at + a * _p + k * a + l] = _projectedXty[k] / d;
            }
        }
        return basis;
    }

    /// <summary>Half the leave-one-out mean squared error, on the scale of the k-fold validation loss, from the summed squared residuals.</summary>
    public double Score(double squaredResiduals) => squaredResiduals / _n / 2;
}
