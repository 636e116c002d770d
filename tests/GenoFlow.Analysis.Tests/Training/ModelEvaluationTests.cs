using System.Text.Json;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Training;
using Xunit.Abstractions;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>GenoFlow's metrics (Microsoft.ML evaluators) against scikit-learn's on the same predictions.tsv.</summary>
public sealed class ModelEvaluationTests(TrainingCohort cohort, ITestOutputHelper output) : IClassFixture<TrainingCohort>
{
    private static readonly string[] Covariates = ["age", "sex"];

    [Fact]
    public async Task Logistic_metrics_agree_with_sklearn_at_half_and_at_the_youden_threshold()
    {
        var (result, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Logistic, L2: 0.02), "trait_b", Covariates);
        string predictions = Path.Combine(dir, TrainingOutput.PredictionsFile), phenotypes = Path.Combine(cohort.Directory, "phenotypes.tsv");
        TrainingMetrics test = result.Test!;
        JsonElement half = Sklearn.Metrics(predictions, phenotypes, "trait_b", "logistic").GetProperty("test");
        output.WriteLine($"GenoFlow {test}");
        output.WriteLine($"sklearn  {half}");
        Assert.Equal(half.GetProperty("auc").GetDouble(), test.Auc!.Value, 1e-4);
        Assert.Equal(half.GetProperty("log_loss").GetDouble(), test.LogLoss!.Value, 1e-4);
        Assert.Equal(half.GetProperty("accuracy").GetDouble(), test.Accuracy!.Value, 1e-9);
        Assert.Equal(half.GetProperty("precision").GetDouble(), test.Precision!.Value, 1e-9);
        Assert.Equal(half.GetProperty("recall").GetDouble(), test.Recall!.Value, 1e-9);
        Assert.Equal(half.GetProperty("f1").GetDouble(), test.F1!.Value, 1e-9);
        Assert.Equal(half.GetProperty("tp").GetInt64(), test.Confusion!.TruePositives);
        Assert.Equal(half.GetProperty("fn").GetInt64(), test.Confusion.FalseNegatives);
        // PR AUC: ML.NET integrates the precision-recall curve, sklearn's average precision is a step sum; close, not equal.
        Assert.Equal(half.GetProperty("average_precision").GetDouble(), test.PrAuc!.Value, 0.02);

        double threshold = result.YoudenThreshold!.Value;
        Assert.Equal(threshold, test.Youden!.Threshold);
        Assert.Equal(threshold, result.Train.Youden!.Threshold);
        JsonElement youden = Sklearn.Metrics(predictions, phenotypes, "trait_b", "logistic", threshold).GetProperty("test");
        Assert.Equal(youden.GetProperty("recall").GetDouble(), test.Youden.Recall, 1e-9);
        Assert.Equal(youden.GetProperty("precision").GetDouble(), test.Youden.Precision, 1e-9);
        // Youden's J is at its maximum on the training rows at the recorded threshold.
        JsonElement train = Sklearn.Metrics(predictions, phenotypes, "trait_b", "logistic", threshold).GetProperty("train");
        double j = J(train);
        foreach (double other in new[] { 0.2, 0.3, 0.4, 0.5, 0.6 })
        {
            Assert.True(J(Sklearn.Metrics(predictions, phenotypes, "trait_b", "logistic", other).GetProperty("train")) <= j + 1e-12, $"J at {other} beats J at {threshold}");
        }
    }

    [Fact]
    public async Task Linear_metrics_agree_with_sklearn()
    {
        var (result, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, L2: 0.5), "trait_q", Covariates);
        JsonElement sklearn = Sklearn.Metrics(Path.Combine(dir, TrainingOutput.PredictionsFile), Path.Combine(cohort.Directory, "phenotypes.tsv"), "trait_q", "linear");
        foreach (var (split, metrics) in new[] { ("train", result.Train), ("test", result.Test!) })
        {
            JsonElement theirs = sklearn.GetProperty(split);
            output.WriteLine($"{split}: GenoFlow {metrics}; sklearn {theirs}");
            Assert.Equal(theirs.GetProperty("r2").GetDouble(), metrics.R2!.Value, 1e-4);
            Assert.Equal(theirs.GetProperty("mse").GetDouble(), metrics.Mse!.Value, 1e-4);
            Assert.Equal(theirs.GetProperty("mae").GetDouble(), metrics.Mae!.Value, 1e-4);
            Assert.Equal(Math.Sqrt(metrics.Mse.Value), metrics.Rmse!.Value, 1e-9);
        }
        Assert.Null(result.YoudenThreshold);
    }

    private static double J(JsonElement m)
    {
        double tp = m.GetProperty("tp").GetDouble(), fn = m.GetProperty("fn").GetDouble(), fp = m.GetProperty("fp").GetDouble(), tn = m.GetProperty("tn").GetDouble();
        return tp / (tp + fn) - fp / (fp + tn);
    }
}
