namespace GenoFlow.Analysis.Training;

/// <summary>
/// Quality of predictions on one set of rows, as <see cref="ModelEvaluation"/> computes it with Microsoft.ML's
/// evaluators. Linear: R², RMSE, MSE, MAE. Logistic: ROC AUC, PR AUC, log-loss (natural log), and accuracy, precision,
/// recall, F1 and the confusion matrix at P(y = 1) ≥ 0.5, and again at the training rows' Youden-J threshold
/// (<see cref="Youden"/>).
/// </summary>
public sealed record TrainingMetrics(
    int Samples,
    double? R2 = null,
    double? Rmse = null,
    double? Mse = null,
    double? Mae = null,
    double? Auc = null,
    double? PrAuc = null,
    double? LogLoss = null,
    double? Accuracy = null,
    double? Precision = null,
    double? Recall = null,
    double? F1 = null,
    ConfusionCounts? Confusion = null,
    ThresholdMetrics? Youden = null)
{
    /// <summary>Metrics of the rows where <paramref name="include"/> holds; null when there are none.</summary>
    /// <param name="youdenThreshold">The probability threshold of <see cref="Youden"/> (logistic), or null.</param>
    public static TrainingMetrics? Of(TrainingModel model, IReadOnlyList<double> targets, IReadOnlyList<double> margins, Func<int, bool> include, double? youdenThreshold = null) =>
        ModelEvaluation.Evaluate(model, targets, margins, include, youdenThreshold);

    /// <summary>The numeric metrics present, by their metrics.json name (Youden's as <c>youden_…</c>).</summary>
    public IReadOnlyDictionary<string, double> Values()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string name, double? value)
        {
            if (value is { } v)
            {
                values[name] = v;
            }
        }
        Add("r2", R2);
        Add("rmse", Rmse);
        Add("mse", Mse);
        Add("mae", Mae);
        Add("auc", Auc);
        Add("pr_auc", PrAuc);
        Add("log_loss", LogLoss);
        Add("accuracy", Accuracy);
        Add("precision", Precision);
        Add("recall", Recall);
        Add("f1", F1);
        if (Youden is { } y)
        {
            Add("youden_accuracy", y.Accuracy);
            Add("youden_precision", y.Precision);
            Add("youden_recall", y.Recall);
            Add("youden_f1", y.F1);
        }
        return values;
    }
}

/// <summary>Rows by true class and predicted class at a threshold.</summary>
public sealed record ConfusionCounts(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives);

/// <summary>Classification at a probability threshold (P(y = 1) ≥ threshold predicts 1).</summary>
public sealed record ThresholdMetrics(double Threshold, double Accuracy, double Precision, double Recall, double F1, ConfusionCounts Confusion);

/// <summary>One averaging round: the objective and metrics at the θ broadcast in that round.</summary>
public sealed record RoundRecord(int Round, double Objective, TrainingMetrics Train, TrainingMetrics? Test);
