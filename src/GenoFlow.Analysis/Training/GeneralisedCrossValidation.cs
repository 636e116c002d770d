namespace GenoFlow.Analysis.Training;

/// <summary>
/// Generalised cross-validation of exact ridge (Golub, Heath &amp; Wahba 1979) from the summed Gram pieces alone:
/// GCV(l2) = (RSS/n) / (1 − df/n)², with df = tr(H) the trace of the hat matrix, i.e. leave-one-out with every
/// leverage h_ii replaced by their mean. The intercept is unpenalised, so the features are centred in the Gram sums
/// and one symmetric eigendecomposition C = V Λ Vᵀ (<see cref="CentredGram"/>) gives every l2's score in O(p):
/// with q = Vᵀ X̃cᵀy and d_k = λ_k + n·l2, RSS = y_cᵀy_c − Σ q_k² (2/d_k − λ_k/d_k²) and df = 1 + Σ λ_k/d_k.
/// </summary>
internal sealed class GeneralisedCrossValidation
{
    private readonly double _n;
    private readonly double _centredYy;
    private readonly double[] _eigenvalues;
    private readonly double[] _projected2;

    private GeneralisedCrossValidation(double n, double centredYy, double[] eigenvalues, double[] projected2)
    {
        _n = n;
        _centredYy = centredYy;
        _eigenvalues = eigenvalues;
        _projected2 = projected2;
    }

    /// <param name="sums">X̃ᵀX̃ (w x w, the intercept's column last), X̃ᵀy and yᵀy, as <see cref="GramOperation"/> writes them.</param>
    public static GeneralisedCrossValidation FromGram(double[] sums, int w)
    {
        CentredGram gram = CentredGram.Decompose(sums, w);
        return new GeneralisedCrossValidation(gram.N, gram.CentredYy, gram.Eigenvalues, [.. gram.ProjectedXty.Select(v => v * v)]);
    }

    /// <summary>tr(H) at <paramref name="l2"/>: 1 for the intercept plus each direction's shrunken share.</summary>
    public double DegreesOfFreedom(double l2) => 1 + _eigenvalues.Sum(v => v / (v + _n * l2));

    public double ResidualSumOfSquares(double l2)
    {
        double rss = _centredYy;
        for (int k = 0; k < _eigenvalues.Length; k++)
        {
            double d = _eigenvalues[k] + _n * l2;
            rss -= _projected2[k] * (2 / d - _eigenvalues[k] / (d * d));
        }
        return Math.Max(0, rss);
    }

    /// <summary>Half the GCV mean squared error, on the scale of the k-fold validation loss (½ squared error per row).</summary>
    public double Score(double l2)
    {
        double share = 1 - DegreesOfFreedom(l2) / _n;
        return ResidualSumOfSquares(l2) / _n / (share * share) / 2;
    }
}
