namespace GenoFlow.Analysis.Pca;

/// <summary>
/// When <see cref="RandomizedPca"/> stops. Population PCs stand far above the noise bulk and converge in a few
/// iterations; the bulk PCs (eigenvalues packed close together) converge slowly and used to set the iteration count.
/// So a top-K Ritz pair is done when either
/// <list type="bullet">
/// <item>its relative Ritz residual ‖XᵀX u − θ u‖ / θ is at most <see cref="PcaSettings.ResidualTolerance"/> (tolerance / 100; the
/// eigenvalue error is then below residual² / gap: what holds separated PCs to 1e-6), or</item>
/// <item>it lies in the bulk, within <see cref="BulkRatio"/> of the l-th Ritz value, and its Ritz value changed by at
/// most <see cref="PcaSettings.Tolerance"/> (relative) in the last iteration: enough for the 1% accuracy bulk
/// eigenvalues are held to (Ritz values only grow towards the exact ones, and by then they move slowly).</item>
/// </list>
/// </summary>
public static class StoppingRule
{
    /// <summary>A Ritz value within this factor of the l-th (a bulk value when l &gt; K) counts as bulk.</summary>
    public const double BulkRatio = 1.1;

    /// <summary>How model.json states the rule.</summary>
    public const string Description =
        "a PC is converged when its relative Ritz residual <= residual_tolerance (tolerance / 100), or when its Ritz value is within bulk_ratio of the l-th Ritz value (the noise bulk) and changed by <= tolerance (relative) in the last iteration; the run stops when all K are";

    /// <param name="ritz">This iteration's top-K Ritz values.</param>
    /// <param name="previous">The last iteration's (empty on the first).</param>
    /// <param name="residuals">Relative Ritz residuals of the top K.</param>
    /// <param name="edge">The l-th Ritz value.</param>
    public static bool Converged(double[] ritz, double[] previous, double[] residuals, double edge, PcaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(ritz);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(residuals);
        ArgumentNullException.ThrowIfNull(settings);
        for (int c = 0; c < ritz.Length; c++)
        {
            bool separatedDone = residuals[c] <= settings.ResidualTolerance;
            bool bulkDone = previous.Length == ritz.Length && ritz[c] <= BulkRatio * edge
                && Math.Abs(ritz[c] - previous[c]) <= settings.Tolerance * Math.Abs(ritz[c]);
            if (!separatedDone && !bulkDone)
            {
                return false;
            }
        }
        return true;
    }
}
