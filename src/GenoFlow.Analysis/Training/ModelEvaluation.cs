using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Evaluates predictions with Microsoft.ML's evaluators (<c>Regression.Evaluate</c>, <c>BinaryClassification.Evaluate</c>),
/// so GenoFlow's metrics are the ones ML.NET users know. The evaluators work in single precision (predictions are
/// rounded to float) and ML.NET reports log-loss in bits; GenoFlow converts it to nats (× ln 2), the unit of its
/// objective and of scikit-learn's <c>log_loss</c>. ML.NET classifies by score ≥ 0 whatever the predicted-label column
/// says, so a probability threshold t is applied by scoring margin − logit(t). The Youden-J threshold (max TPR − FPR) is
/// GenoFlow's own: ML.NET has none.
/// </summary>
public static class ModelEvaluation
{
    private static readonly MLContext Context = new(seed: 0);

    private sealed class RegressionRow
    {
        public float Label { get; set; }

        public float Score { get; set; }
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    /// <summary>Metrics of the rows where <paramref name="include"/> holds, or null when there are none.</summary>
    public static TrainingMetrics? Evaluate(TrainingModel model, IReadOnlyList<double> targets, IReadOnlyList<double> margins, Func<int, bool> include, double? youdenThreshold)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(margins);
        ArgumentNullException.ThrowIfNull(include);
        int[] rows = [.. Enumerable.Range(0, targets.Count).Where(include)];
        if (rows.Length == 0)
        {
            return null;
        }
        if (model == TrainingModel.Linear)
        {
            IDataView data = Context.Data.LoadFromEnumerable(rows.Select(r => new RegressionRow { Label = (float)targets[r], Score = (float)margins[r] }));
            RegressionMetrics m = Context.Regression.Evaluate(data);
            // ML.NET returns R² = −∞ or NaN when the labels are constant; that is "undefined" here.
            return new TrainingMetrics(rows.Length, R2: double.IsFinite(m.RSquared) ? m.RSquared : null, Rmse: m.RootMeanSquaredError, Mse: m.MeanSquaredError,
                Mae: m.MeanAbsoluteError);
        }
        double[] probability = [.. rows.Select(r => Losses.Sigmoid(margins[r]))];
        bool[] label = [.. rows.Select(r => targets[r] == 1)];
        bool bothClasses = label.Any(l => l) && label.Any(l => !l);
        CalibratedBinaryClassificationMetrics half = Binary(label, probability, margins, rows, 0.5);
        ThresholdMetrics? youden = youdenThreshold is { } t ? AtThreshold(t, Binary(label, probability, margins, rows, t)) : null;
        return new TrainingMetrics(rows.Length, Auc: bothClasses ? half.AreaUnderRocCurve : null, PrAuc: bothClasses ? half.AreaUnderPrecisionRecallCurve : null,
            LogLoss: half.LogLoss * Math.Log(2), Accuracy: half.Accuracy, Precision: half.PositivePrecision, Recall: half.PositiveRecall, F1: half.F1Score,
            Confusion: Counts(half.ConfusionMatrix), Youden: youden);
    }

    /// <summary>
    /// The probability threshold that maximises Youden's J = TPR − FPR over the rows where <paramref name="include"/>
    /// holds (a threshold predicts 1 at P ≥ it; ties in P move together), placed halfway (in margin) between the last
    /// row it takes and the next, so no row sits on it; null with a single class.
    /// </summary>
    public static double? YoudenThreshold(IReadOnlyList<double> targets, IReadOnlyList<double> margins, Func<int, bool> include)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(margins);
        ArgumentNullException.ThrowIfNull(include);
        int[] rows = [.. Enumerable.Range(0, targets.Count).Where(include).OrderByDescending(r => margins[r]).ThenBy(r => r)];
        double positives = rows.Count(r => targets[r] == 1), negatives = rows.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }
        double truePositives = 0, falsePositives = 0, bestJ = double.NegativeInfinity, best = 0.5;
        for (int i = 0; i < rows.Length;)
        {
            double margin = margins[rows[i]];
            for (; i < rows.Length && margins[rows[i]] == margin; i++)
            {
                truePositives += targets[rows[i]] == 1 ? 1 : 0;
                falsePositives += targets[rows[i]] == 1 ? 0 : 1;
            }
            double j = truePositives / positives - falsePositives / negatives;
            if (j > bestJ)
            {
                double below = i < rows.Length ? margins[rows[i]] : margin - 1;
                (bestJ, best) = (j, Losses.Sigmoid((margin + below) / 2));
            }
        }
        return best;
    }

    private static CalibratedBinaryClassificationMetrics Binary(bool[] label, double[] probability, IReadOnlyList<double> margins, int[] rows, double threshold)
    {
        double shift = Math.Log(threshold / (1 - threshold));
        IDataView data = Context.Data.LoadFromEnumerable(rows.Select((r, i) => new BinaryRow
        {
            Label = label[i],
            Score = (float)(margins[r] - shift),
            Probability = (float)probability[i],
            PredictedLabel = probability[i] >= threshold,
        }));
        return Context.BinaryClassification.Evaluate(data);
    }

    private static ThresholdMetrics AtThreshold(double threshold, CalibratedBinaryClassificationMetrics m) =>
        new(threshold, m.Accuracy, m.PositivePrecision, m.PositiveRecall, m.F1Score, Counts(m.ConfusionMatrix));

    /// <summary>ML.NET's confusion matrix: rows are the true class, columns the predicted one, positive first.</summary>
    private static ConfusionCounts Counts(ConfusionMatrix matrix) =>
        new((long)matrix.Counts[0][0], (long)matrix.Counts[1][0], (long)matrix.Counts[1][1], (long)matrix.Counts[0][1]);
}
