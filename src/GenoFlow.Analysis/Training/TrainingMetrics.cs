namespace GenoFlow.Analysis.Training;

/// <summary>Quality of predictions on one split: R² and RMSE (linear) or AUC, log-loss and accuracy at 0.5 (logistic).</summary>
public sealed record TrainingMetrics(int Samples, double? R2 = null, double? Rmse = null, double? Auc = null, double? LogLoss = null, double? Accuracy = null)
{
    /// <summary>The metrics present, by their metrics.json name.</summary>
    public IReadOnlyDictionary<string, double> Values()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in new[] { ("r2", R2), ("rmse", Rmse), ("auc", Auc), ("log_loss", LogLoss), ("accuracy", Accuracy) })
        {
            if (value is { } v)
            {
                values[name] = v;
            }
        }
        return values;
    }

    /// <summary>Metrics of the rows where <paramref name="include"/> holds; null when there are none.</summary>
    public static TrainingMetrics? Of(TrainingModel model, IReadOnlyList<double> targets, IReadOnlyList<double> margins, Func<int, bool> include)
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
            double mean = 0, sse = 0, sst = 0;
            foreach (int r in rows)
            {
                mean += targets[r];
            }
            mean /= rows.Length;
            foreach (int r in rows)
            {
                sse += (targets[r] - margins[r]) * (targets[r] - margins[r]);
                sst += (targets[r] - mean) * (targets[r] - mean);
            }
            return new TrainingMetrics(rows.Length, R2: sst > 0 ? 1 - sse / sst : null, Rmse: Math.Sqrt(sse / rows.Length));
        }
        double logLoss = 0;
        int correct = 0;
        foreach (int r in rows)
        {
            logLoss += Losses.Value(model, targets[r], margins[r]);
            correct += (margins[r] >= 0 ? 1 : 0) == (int)targets[r] ? 1 : 0;
        }
        return new TrainingMetrics(rows.Length, Auc: AreaUnderCurve(targets, margins, rows), LogLoss: logLoss / rows.Length, Accuracy: (double)correct / rows.Length);
    }

    /// <summary>Area under the ROC curve (Mann–Whitney, ties counted half); null with a single class.</summary>
    private static double? AreaUnderCurve(IReadOnlyList<double> targets, IReadOnlyList<double> margins, int[] rows)
    {
        // Tied margins share their mean rank, so the order within a tie does not matter.
        int[] order = [.. rows];
        double[] keys = [.. rows.Select(r => margins[r])];
        Array.Sort(keys, order);
        double positives = rows.Count(r => targets[r] == 1), negatives = rows.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }
        double rankSum = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j < order.Length && margins[order[j]] == margins[order[i]])
            {
                j++;
            }
            double rank = (i + j + 1) / 2.0;
            for (int k = i; k < j; k++)
            {
                rankSum += targets[order[k]] == 1 ? rank : 0;
            }
            i = j;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }
}

/// <summary>One averaging round: the objective and metrics at the θ broadcast in that round.</summary>
public sealed record RoundRecord(int Round, double Objective, TrainingMetrics Train, TrainingMetrics? Test);


