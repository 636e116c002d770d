namespace GenoFlow.Analysis.Pca;

/// <summary>
/// A start block for the randomized PCA from an earlier fit: per sample block, <see cref="Columns"/> scores per sample
/// (row-major; e.g. the samples' projections onto the previous release's model, which extend its eigenvectors to the
/// new samples). The first columns of the Krylov start block are these instead of random ones, so a refit after a
/// release begins close to the answer and converges in fewer iterations to the same eigenvalues.
/// </summary>
public sealed record WarmStart(int Columns, Func<int, double[]> Block);
