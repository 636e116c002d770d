namespace GenoFlow.Analysis.Training;

/// <summary>
/// A trained model and how it was reached. <see cref="Theta"/> holds the weights of the standardised features (variants,
/// then covariates, then PCs) and the intercept last; a feature's standardised value is (x − mean) · inverse sd.
/// <see cref="Margins"/> holds every row's margin (shard set order) at the final θ. <see cref="YoudenThreshold"/> is the
/// probability threshold maximising Youden's J on the training rows (logistic models); <see cref="Importance"/> the
/// permutation importance of each feature group on the test rows (<see cref="PermutationImportance"/>);
/// <see cref="AggregateReason"/> why the fit ran with <see cref="TrainingSettings.Aggregate"/> (<see cref="AggregateChoice"/>).
/// </summary>
public sealed record TrainingResult(
    TrainingSettings Settings,
    double L1,
    double L2,
    double[] Theta,
    double[] Mean,
    double[] InverseSd,
    int Rounds,
    bool Converged,
    double Step,
    IReadOnlyList<RoundRecord> History,
    CrossValidation? CrossValidation,
    double[] Margins,
    TrainingMetrics Train,
    TrainingMetrics? Test,
    double Objective,
    double? YoudenThreshold,
    (double Negative, double Positive) ClassWeights,
    IReadOnlyList<FeatureImportance> Importance,
    string? AggregateReason = null);
