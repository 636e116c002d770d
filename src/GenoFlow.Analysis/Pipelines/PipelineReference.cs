namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// A parameter naming another input or stage, resolved: <paramref name="TargetKind"/> is the stage kind
/// (<c>qc</c>, <c>pca</c>, ...) or the input source (<c>dataset</c>, <c>bed</c>, ...), <paramref name="Provides"/> what
/// this parameter takes from it (a pca stage gives a model to <c>model</c> and scores to <c>pcs</c>).
/// </summary>
public sealed record PipelineReference(string Key, string Target, bool TargetIsInput, string TargetKind, PipelineProduct Provides, SourceMark Mark);
