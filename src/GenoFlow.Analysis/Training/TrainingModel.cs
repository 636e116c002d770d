namespace GenoFlow.Analysis.Training;

/// <summary>linear: squared error, prediction = margin. logistic: log-loss of a 0/1 target, prediction = P(y = 1).</summary>
public enum TrainingModel
{
    Linear,
    Logistic,
}

/// <summary>
/// average: rounds of local fits averaged by shard size (any model and penalty). exact: XᵀX and Xᵀy summed over shards
/// and solved once (linear models with an L2 penalty only).
/// </summary>
public enum Aggregation
{
    Average,
    Exact,
}
