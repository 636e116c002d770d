namespace GenoFlow.Analysis.Reports;

/// <summary>
/// ROC and precision–recall curves and a calibration table of predicted probabilities against 0/1 outcomes, as
/// scikit-learn's roc_curve, precision_recall_curve and calibration_curve (uniform bins) compute them: one point per
/// distinct score threshold, scores tied at a threshold entering together.
/// </summary>
public static class ClassifierCurves
{
    public sealed record Curve(double[] X, double[] Y);

    /// <summary>False positive rate (x) against true positive rate (y), from (0, 0) to (1, 1); null with a single class.</summary>
    public static Curve? Roc(IReadOnlyList<double> scores, IReadOnlyList<double> outcomes)
    {
        var (tp, fp, positives, negatives) = Counts(scores, outcomes);
        if (positives == 0 || negatives == 0)
        {
            return null;
        }
        return new Curve([0, .. fp.Select(f => f / negatives)], [0, .. tp.Select(t => t / positives)]);
    }

    /// <summary>Recall (x) against precision (y), from (0, 1) and then each threshold from the highest score down; null without positives.</summary>
    public static Curve? PrecisionRecall(IReadOnlyList<double> scores, IReadOnlyList<double> outcomes)
    {
        var (tp, fp, positives, _) = Counts(scores, outcomes);
        if (positives == 0)
        {
            return null;
        }
        return new Curve([0, .. tp.Select(t => t / positives)], [1, .. tp.Select((t, i) => t / (t + fp[i]))]);
    }

    /// <summary>Mean predicted probability and observed frequency of each non-empty bin of [0, 1] cut into <paramref name="bins"/>.</summary>
    public static (double[] MeanPredicted, double[] Observed, int[] Counts) Calibration(IReadOnlyList<double> probabilities, IReadOnlyList<double> outcomes, int bins)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(outcomes);
        var sumPredicted = new double[bins];
        var sumObserved = new double[bins];
        var counts = new int[bins];
        for (int i = 0; i < probabilities.Count; i++)
        {
            int bin = Bin(probabilities[i], bins);
            sumPredicted[bin] += probabilities[i];
            sumObserved[bin] += outcomes[i];
            counts[bin]++;
        }
        int[] used = [.. Enumerable.Range(0, bins).Where(b => counts[b] > 0)];
        return ([.. used.Select(b => sumPredicted[b] / counts[b])], [.. used.Select(b => sumObserved[b] / counts[b])], [.. used.Select(b => counts[b])]);
    }

    /// <summary>
    /// The bin of a probability as scikit-learn's calibration_curve finds it: bins closed on the right, edges at
    /// k · (1 / bins) as numpy's linspace computes them (so 0.3 falls below the edge 3 · 0.1 = 0.30000000000000004).
    /// </summary>
    private static int Bin(double probability, int bins)
    {
        double step = 1.0 / bins;
        int bin = 0;
        while (bin < bins - 1 && (bin + 1) * step < probability)
        {
            bin++;
        }
        return bin;
    }

    /// <summary>Cumulative true and false positives at each distinct score, from the highest down.</summary>
    private static (double[] Tp, double[] Fp, double Positives, double Negatives) Counts(IReadOnlyList<double> scores, IReadOnlyList<double> outcomes)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(outcomes);
        int[] order = [.. Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i])];
        var tp = new List<double>();
        var fp = new List<double>();
        double t = 0, f = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (outcomes[order[i]] == 1)
            {
                t++;
            }
            else
            {
                f++;
            }
            if (i == order.Length - 1 || scores[order[i + 1]] != scores[order[i]])
            {
                tp.Add(t);
                fp.Add(f);
            }
        }
        return ([.. tp], [.. fp], t, f);
    }
}
