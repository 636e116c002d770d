using System.Globalization;
using System.Text.Json;
using GenoFlow.Analysis.Reports;
using GenoFlow.Analysis.Tests.TestSupport;

namespace GenoFlow.Analysis.Tests.Reports;

/// <summary>The report's ROC, precision–recall and calibration curves against scikit-learn's on the same scores, ties included.</summary>
public class ClassifierCurvesTests
{
    [Fact]
    public void Roc_precision_recall_and_calibration_match_scikit_learn()
    {
        var random = new Random(7);
        int n = 400;
        double[] outcomes = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0.0)];
        // Scores rounded to two decimals so that many tie; cases score higher on average.
        double[] scores = [.. outcomes.Select(y => Math.Round(Math.Clamp(0.35 + 0.2 * y + 0.25 * (random.NextDouble() - 0.5), 0.001, 0.999), 2))];
        string Json(double[] values) => "[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
        string output = Python.Run($$"""
            import json, numpy as np
            from sklearn.metrics import roc_curve, precision_recall_curve
            from sklearn.calibration import calibration_curve
            y = np.array({{Json(outcomes)}}); s = np.array({{Json(scores)}})
            fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
            precision, recall, _ = precision_recall_curve(y, s)
            observed, predicted = calibration_curve(y, s, n_bins=10, strategy="uniform")
            print(json.dumps({"fpr": fpr.tolist(), "tpr": tpr.tolist(), "precision": precision[::-1].tolist(), "recall": recall[::-1].tolist(),
                              "observed": observed.tolist(), "predicted": predicted.tolist()}))
            """);
        using JsonDocument expected = JsonDocument.Parse(output);
        double[] Get(string name) => [.. expected.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];

        ClassifierCurves.Curve roc = ClassifierCurves.Roc(scores, outcomes)!;
        AssertClose(Get("fpr"), roc.X);
        AssertClose(Get("tpr"), roc.Y);
        ClassifierCurves.Curve pr = ClassifierCurves.PrecisionRecall(scores, outcomes)!;
        AssertClose(Get("recall"), pr.X);
        AssertClose(Get("precision"), pr.Y);
        var (meanPredicted, observed, counts) = ClassifierCurves.Calibration(scores, outcomes, 10);
        AssertClose(Get("predicted"), meanPredicted);
        AssertClose(Get("observed"), observed);
        Assert.Equal(n, counts.Sum());
    }

    [Fact]
    public void A_single_class_has_no_roc_curve_and_no_positives_no_precision_recall_curve()
    {
        Assert.Null(ClassifierCurves.Roc([0.2, 0.7], [1, 1]));
        Assert.Null(ClassifierCurves.PrecisionRecall([0.2, 0.7], [0, 0]));
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-12, $"point {i}: scikit-learn {expected[i]}, GenoFlow {actual[i]}");
        }
    }
}
