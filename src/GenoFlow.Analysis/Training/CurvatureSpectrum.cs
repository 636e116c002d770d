namespace GenoFlow.Analysis.Training;

/// <summary>
/// What a Lanczos run learnt about H = X̃ᵀX̃/n: its largest eigenvalue (the step size of plain proximal gradient), and the
/// converged top eigenpairs (u_i, λ_i) with an estimate λ_rest of the largest eigenvalue left. Population structure
/// puts a few eigenvalues of H far above the rest (hundreds vs a few), and those set the plain step; the
/// preconditioner P = Σ a_i u_i u_iᵀ + a_rest (I − Σ u_i u_iᵀ), a = s·c·λ + l2 (c = 1 for squared error, ¼ for the
/// log-loss; s a safety factor), majorises the curvature with the outliers taken out, so a step −P⁻¹g moves as far as
/// the bulk of the spectrum allows.
/// </summary>
public sealed record CurvatureSpectrum(double Largest, double[][] Vectors, double[] Values, double Rest)
{
    /// <summary>Safety factor on the converged eigenvalues (Ritz values approach eigenvalues from below).</summary>
    public const double PairSafety = 1.05;

    /// <summary>Safety factor on λ_rest, a Ritz value that has not necessarily converged.</summary>
    public const double RestSafety = 1.25;

    /// <summary>P⁻¹ g.</summary>
    public double[] Precondition(double[] gradient, double curvatureScale, double l2)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        double rest = 1 / (RestSafety * curvatureScale * Rest + l2);
        var result = new double[gradient.Length];
        for (int j = 0; j < gradient.Length; j++)
        {
            result[j] = rest * gradient[j];
        }
        for (int i = 0; i < Vectors.Length; i++)
        {
            double[] u = Vectors[i];
            double projection = 0;
            for (int j = 0; j < u.Length; j++)
            {
                projection += u[j] * gradient[j];
            }
            double factor = projection * (1 / (PairSafety * curvatureScale * Values[i] + l2) - rest);
            for (int j = 0; j < u.Length; j++)
            {
                result[j] += factor * u[j];
            }
        }
        return result;
    }
}
