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

    private readonly CentredGram _gram;

    /// <summary>
    /// The l2 values scored: 10^-3 … 10^2 at 1/64 of a decade (321 points), all in the one pass. A golden-section
    /// search would need a pass per point; scoring them all costs 2p multiply-adds per row and point, less than the
    /// rows' projections (p² each). It holds scikit-learn's 41-point test grid (every 8th point).
    /// </summary>
    public static IReadOnlyList<double> Grid { get; } =
        [.. Enumerable.Range(0, 5 * PointsPerDecade + 1).Select(i => Math.Pow(10, -3 + (double)i / PointsPerDecade))];

    private LeaveOneOut(CentredGram gram) => _gram = gram;

    /// <param name="sums">X̃ᵀX̃ (w x w, the intercept's column last), X̃ᵀy and yᵀy, as <see cref="GramOperation"/> writes them.</param>
    public static LeaveOneOut FromGram(double[] sums, int w) => new(CentredGram.Decompose(sums, w));

    /// <summary>
    /// The piece every shard reads: V (p x p, column-major), the feature means (p), ȳ, 1/n, then per l2 of
    /// <paramref name="l2s"/> the weights 1/d_k and q_k/d_k (each an A x p column-major block).
    /// </summary>
    public double[] Basis(IReadOnlyList<double> l2s)
    {
        ArgumentNullException.ThrowIfNull(l2s);
        int a = l2s.Count, p = _gram.Means.Length;
        double n = _gram.N;
        var basis = new double[(long)p * p + p + 2 + 2L * a * p];
        _gram.Vectors.AsColumnMajorArray().CopyTo(basis, 0);
        int at = p * p;
        _gram.Means.CopyTo(basis, at);
        at += p;
        basis[at++] = _gram.MeanY;
        basis[at++] = 1 / n;
        for (int k = 0; k < p; k++)
        {
            for (int l = 0; l < a; l++)
            {
                double d = _gram.Eigenvalues[k] + n * l2s[l];
                basis[at + k * a + l] = 1 / d;
                basis[at + a * p + k * a + l] = _gram.ProjectedXty[k] / d;
            }
        }
        return basis;
    }

    /// <summary>Half the leave-one-out mean squared error, on the scale of the k-fold validation loss, from the summed squared residuals.</summary>
    public double Score(double squaredResiduals) => squaredResiduals / _gram.N / 2;
}
