namespace GenoFlow.Analysis.Training;

/// <summary>
/// Cross-validation: the fold count, the l2 grid and its mean validation loss per point, the golden-section refinement
/// points, the chosen l2, and each fold's validation metrics at the chosen l2 with their mean and sample sd over folds.
/// With <see cref="CvMethod.Gcv"/> the losses are generalised cross-validation scores and there are no folds.
/// </summary>
public sealed record CrossValidation(int Folds, IReadOnlyList<double> Grid, IReadOnlyList<double> ValidationLoss, IReadOnlyList<PenaltyScore> Refinement, double Chosen,
    IReadOnlyList<TrainingMetrics> FoldMetrics, IReadOnlyDictionary<string, MeanSd> FoldSummary)
{
    public CvMethod Method { get; init; } = CvMethod.KFold;

    /// <summary>What the validation losses are: the mean loss, or (auc) 1 − the mean fold AUC.</summary>
    public CvScore Score { get; init; } = CvScore.Loss;

    /// <summary>With <c>--search both</c>, the l1 search at the chosen l2 (<see cref="FoldMetrics"/> are then at both choices); else null.</summary>
    public L1Search? L1 { get; init; }

    public static CrossValidation Of(int folds, IReadOnlyList<double> gridLoss, IReadOnlyList<PenaltyScore> refinement, double chosen, IReadOnlyList<TrainingMetrics> foldMetrics)
    {
        ArgumentNullException.ThrowIfNull(foldMetrics);
        var summary = new SortedDictionary<string, MeanSd>(StringComparer.Ordinal);
        foreach (string name in foldMetrics.SelectMany(m => m.Values().Keys).Distinct())
        {
            double[] values = [.. foldMetrics.Select(m => m.Values().GetValueOrDefault(name, double.NaN)).Where(double.IsFinite)];
            if (values.Length > 0)
            {
                summary[name] = MeanSd.Of(values);
            }
        }
        return new CrossValidation(folds, TrainingSettings.L2Grid, gridLoss, refinement, chosen, foldMetrics, summary);
    }
}

/// <summary>
/// The l1 search at the chosen l2: <see cref="TrainingSettings.L1Grid"/>, its mean validation loss per point, the
/// golden-section refinement, the loss without l1 (the l2 search's best) and the chosen l1 (0 when none did better).
/// </summary>
public sealed record L1Search(IReadOnlyList<double> Grid, IReadOnlyList<double> ValidationLoss, IReadOnlyList<L1Score> Refinement, double LossWithoutL1, double Chosen);

/// <summary>Mean and sample standard deviation (n − 1; 0 for a single value).</summary>
public sealed record MeanSd(double Mean, double Sd)
{
    public static MeanSd Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double mean = values.Average();
        double squares = values.Sum(v => (v - mean) * (v - mean));
        return new MeanSd(mean, values.Count > 1 ? Math.Sqrt(squares / (values.Count - 1)) : 0);
    }
}
