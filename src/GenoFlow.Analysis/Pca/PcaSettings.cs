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
/// <see cref="ResidualTolerance"/> bounds the relative Ritz residual of separated PCs; <see cref="Tolerance"/> the
/// relative change in one iteration of the Ritz values of PCs in the noise bulk.
/// </summary>
public sealed record PcaSettings(int K, PcaMethod Method = PcaMethod.Randomized, ulong Seed = 1, int Oversampling = 10, double Tolerance = 1e-3, int MaxIterations = 200,
    double ResidualTolerance = 1e-5)
{
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
        if (!(ResidualTolerance > 0))
        {
            throw new StageParameterException("residual-tolerance", "must be positive");
        }
        if (MaxIterations < 1)
        {
            throw new StageParameterException("max-iterations", "must be at least 1");
        }
    }
}
