using GenoFlow.Analysis.Execution;
namespace GenoFlow.Analysis.Pca;

/// <summary>
/// A finished PCA. Per-variant vectors (frequency, scaling) are indexed by dataset variant; scores and loadings stay in
/// the job's <see cref="ScratchStore"/> as pieces (<c>scores-b{block}</c>: block samples × K doubles, zero rows for
/// samples left out; <c>loadings-r{region}</c>: region variants × K doubles), read one at a time by the writers.
/// <see cref="Timings"/> says where the run's time went; it varies run to run, so it is printed, never published.
/// </summary>
public sealed record PcaResult(
    PcaSettings Settings,
    double[] Eigenvalues,
    double Trace,
    int Iterations,
    bool Converged,
    long VariantsUsed,
    double[] AltFrequency,
    double[] Scaling,
    bool[] SampleKept,
    ScratchStore Store,
    PcaTimings Timings)
{
    public int K => Settings.K;

    public static string ScoresPiece(int block) => $"scores-b{block}";

    public static string LoadingsPiece(int region) => $"loadings-r{region}";
}
