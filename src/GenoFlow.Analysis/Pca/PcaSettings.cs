using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Pca;

public enum PcaMethod
{
    /// <summary>Randomized block Krylov iteration over tile products (the default; any cohort size).</summary>
    Randomized,

    /// <summary>The full GRM built from tile products and eigen-decomposed (at most <see cref="PcaSettings.ExactMaxSamples"/> samples).</summary>
    Exact,
}

/// <summary>What <c>genoflow pca</c> computes. <see cref="Tolerance"/>: the run stops when no top-K Ritz value changed by more than this, relatively, in one iteration.</summary>
public sealed record PcaSettings(int K, PcaMethod Method = PcaMethod.Randomized, ulong Seed = 1, int Oversampling = 10, double Tolerance = 1e-4, int MaxIterations = 200)
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
        if (MaxIterations < 1)
        {
            throw new StageParameterException("max-iterations", "must be at least 1");
        }
    }
}
