namespace GenoFlow.Analysis.Training;

/// <summary>linear: squared error, prediction = margin. logistic: log-loss of a 0/1 target, prediction = P(y = 1).</summary>
public enum TrainingModel
{
    Linear,
    Logistic,
}

/// <summary>
/// average: rounds of local fits averaged by shard size (any model and penalty). exact: XᵀX and Xᵀy summed over shards
/// and solved once (linear models with an L2 penalty only). auto: exact where it applies, average otherwise, decided
/// once the feature count is known (<see cref="AggregateChoice"/>); a fit always runs with one of the other two.
/// </summary>
public enum Aggregation
{
    Average,
    Exact,
    Auto,
}
