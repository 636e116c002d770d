using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Pca;

public enum PcaMethod
{
    /// <summary>Randomized block Krylov iteration over tile products (the default; any cohort size).</summary>
    Randomized,

    /// <summary>The full GRM built from tile products and eigen-decomposed (at most <see cref="PcaSettings.ExactMaxSamples"/> samples).</summary>
    Exact,
}

/// <summary>
/// What <c>genoflow pca</c> computes. When the randomized iteration stops (<see cref="StoppingRule"/>):
/// <see cref="Tolerance"/> bounds the relative change in one iteration of the Ritz values of PCs in the noise bulk, and
/// <see cref="ResidualTolerance"/>, a hundredth of it, the relative Ritz residual of separated PCs. One knob, so a tiny
/// tolerance still means "run to max-iterations".
/// </summary>
public sealed record PcaSettings(int K, PcaMethod Method = PcaMethod.Randomized, ulong Seed = 1, int Oversampling = 10, double Tolerance = 1e-3, int MaxIterations = 200)
{
    /// <summary>
    /// Residual tolerance per unit of <see cref="Tolerance"/>: at the default 1e-3 a separated PC stops at a relative
    /// residual of 1e-5, which holds its eigenvalue to 1e-6 of exact even beside a neighbour 0.3% away (residual² / gap).
    /// </summary>
    public const double ResidualFactor = 0.01;

    public double ResidualTolerance => Tolerance * ResidualFactor;

    public const int ExactMaxSamples = 20_000;

    /// <summary>Columns of the randomized iteration: K + oversampling, rounded up to a multiple of 8 for the kernels.</summary>
    public int Columns => PadColumns(K + Oversampling);

    public static int PadColumns(int columns) => (columns + 7) / 8 * 8;

    public void Validate()
    {
        if (K < 1)
        {
            throw new StageParameterException("k", "must be at least 1");
        }
        if (Oversampling < 0)
        {
            throw new StageParameterException("oversampling", "must be non-negative");
        }
        if (!(Tolerance > 0))
        {
            throw new StageParameterException("tolerance", "must be positive");
        }
        if (MaxIterations < 1)
        {
            throw new StageParameterException("max-iterations", "must be at least 1");
        }
    }
}
