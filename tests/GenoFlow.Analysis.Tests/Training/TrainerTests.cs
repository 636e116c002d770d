using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Training;
using Xunit.Abstractions;

namespace GenoFlow.Analysis.Tests.Training;

public sealed class TrainerTests(TrainingCohort cohort, ITestOutputHelper output) : IClassFixture<TrainingCohort>
{
    private static readonly string[] Covariates = ["age", "sex"];

    private Sklearn.Result Reference(string predictions, string model, double l1, double l2, string target) =>
        Sklearn.Fit(cohort.Bed, Path.Combine(cohort.Directory, "phenotypes.tsv"), target, string.Join(',', Covariates), predictions, model, l1, l2, cohort.Directory);

    [Fact]
    public async Task Averaged_ridge_matches_sklearn_ridge_on_test_r2()
    {
        var (result, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, L2: 0.5), "trait_q", Covariates);
        Sklearn.Result sklearn = Reference(Path.Combine(dir, TrainingOutput.PredictionsFile), "linear", 0, 0.5, "trait_q");
        double ours = result.Test!.R2!.Value, theirs = sklearn.Metric("test_r2");
        output.WriteLine($"rounds {result.Rounds} converged {result.Converged} step {result.Step}; test R² GenoFlow {ours:F6} sklearn {theirs:F6}; max |Δθ| {MaxDifference(result, sklearn):E2}");
        Assert.True(result.Converged);
        Assert.True(Math.Abs(ours - theirs) <= 0.01 * Math.Abs(theirs), $"test R² {ours} vs sklearn {theirs}");
    }

    [Fact]
    public async Task Exact_ridge_matches_sklearn_ridge_to_1e6()
    {
        var (result, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, Aggregation.Exact, L2: 0.05), "trait_q", Covariates);
        Sklearn.Result sklearn = Reference(Path.Combine(dir, TrainingOutput.PredictionsFile), "linear", 0, 0.05, "trait_q");
        double difference = MaxDifference(result, sklearn);
        output.WriteLine($"exact: max |Δθ| {difference:E2}; test R² GenoFlow {result.Test!.R2:F8} sklearn {sklearn.Metric("test_r2"):F8}");
        Assert.True(difference <= 1e-6, $"max |θ − sklearn| = {difference}");
        Assert.Equal(sklearn.Metric("test_r2"), result.Test!.R2!.Value, 1e-6);
        Assert.Equal(0, result.Rounds);
    }

    [Fact]
    public async Task Averaged_logistic_matches_sklearn_logistic_regression_on_test_auc()
    {
        var (result, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Logistic, L2: 0.02), "trait_b", Covariates);
        Sklearn.Result sklearn = Reference(Path.Combine(dir, TrainingOutput.PredictionsFile), "logistic", 0, 0.02, "trait_b");
        double ours = result.Test!.Auc!.Value, theirs = sklearn.Metric("test_auc");
        output.WriteLine($"rounds {result.Rounds} converged {result.Converged}; test AUC GenoFlow {ours:F6} sklearn {theirs:F6}; log-loss {result.Test.LogLoss:F6} vs {sklearn.Metric("test_log_loss"):F6}; max |Δθ| {MaxDifference(result, sklearn):E2}");
        Assert.True(result.Converged);
        Assert.True(Math.Abs(ours - theirs) <= 0.01 * theirs, $"test AUC {ours} vs sklearn {theirs}");
        Assert.Equal(sklearn.Metric("test_log_loss"), result.Test.LogLoss!.Value, 1e-4);
    }

    [Fact]
    public async Task Averaged_elastic_net_matches_sklearn_elastic_net_and_zeroes_weights()
    {
        var (result, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, L1: 0.02, L2: 0.05), "trait_q", Covariates);
        Sklearn.Result sklearn = Reference(Path.Combine(dir, TrainingOutput.PredictionsFile), "linear", 0.02, 0.05, "trait_q");
        double ours = result.Test!.R2!.Value, theirs = sklearn.Metric("test_r2");
        int zeros = result.Theta.SkipLast(1).Count(w => w == 0), sklearnZeros = sklearn.Coefficients.Skip(1).Count(w => w == 0);
        output.WriteLine($"rounds {result.Rounds}; test R² GenoFlow {ours:F6} sklearn {theirs:F6}; zero weights {zeros} vs {sklearnZeros}; max |Δθ| {MaxDifference(result, sklearn):E2}");
        Assert.True(Math.Abs(ours - theirs) <= 0.01 * Math.Abs(theirs), $"test R² {ours} vs sklearn {theirs}");
        Assert.InRange(zeros, sklearnZeros - 10, sklearnZeros + 10);
        Assert.True(zeros > 300, $"only {zeros} weights are zero");
    }

    [Fact]
    public async Task Cross_validation_picks_an_inner_l2_whose_test_r2_is_near_the_best_of_the_grid()
    {
        var (result, _, data) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, Aggregation.Exact, Cv: CvMethod.KFold), "trait_q", Covariates);
        CrossValidation cv = result.CrossValidation!;
        Assert.Equal(5, cv.Folds);
        Assert.Equal(TrainingSettings.L2Grid, cv.Grid);
        output.WriteLine($"validation loss {string.Join(", ", cv.ValidationLoss.Select(l => l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}; chosen l2 {cv.Chosen}, test R² {result.Test!.R2:F4}");
        Assert.InRange(cv.Chosen, cv.Grid[1], cv.Grid[^2]);
        Assert.Equal(result.L2, cv.Chosen);
        double best = double.MinValue;
        foreach (double l2 in cv.Grid)
        {
            TrainingResult fit = await Trainer.RunAsync(TrainingCohort.Executor(), data, new TrainingSettings(TrainingModel.Linear, Aggregation.Exact, L2: l2), TestScratch.Root.CreateStore());
            best = Math.Max(best, fit.Test!.R2!.Value);
        }
        Assert.True(result.Test.R2 >= best - 0.03, $"chosen l2's test R² {result.Test.R2} vs best on the grid {best}");

        // The averaging path (warm-started from the strongest penalty down, loosely converged) uses the same folds and
        // lands within a twentieth of a decade.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (averaged, _, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, Rounds: 150, Tolerance: 1e-4), "trait_q", Covariates);
        output.WriteLine($"averaged CV: {string.Join(", ", averaged.CrossValidation!.ValidationLoss.Select(l => l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))} in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.InRange(Math.Abs(Math.Log10(averaged.CrossValidation!.Chosen / cv.Chosen)), 0, 0.05);
    }

    [Fact]
    public async Task Same_bytes_whatever_the_parallelism()
    {
        var settings = new TrainingSettings(TrainingModel.Logistic, L1: 0.001, L2: 0.01, Rounds: 40);
        var (one, dirOne, _) = await cohort.Train(settings, "trait_b", Covariates, executor: TrainingCohort.Executor(1));
        var (four, dirFour, _) = await cohort.Train(settings, "trait_b", Covariates, executor: TrainingCohort.Executor(4));
        Assert.Equal(40, one.Rounds);
        foreach (string file in new[] { TrainingOutput.ModelFileName, TrainingOutput.PredictionsFile, TrainingOutput.MetricsFile, FeatureTables.TopFeaturesFile, FeatureTables.ImportanceFile })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(dirOne, file)), File.ReadAllText(Path.Combine(dirFour, file)));
        }
        Assert.Equal(40, four.History.Count);
    }

    /// <summary>Largest difference between GenoFlow's θ and sklearn's (intercept first, then features).</summary>
    private static double MaxDifference(TrainingResult result, Sklearn.Result sklearn)
    {
        double max = Math.Abs(result.Theta[^1] - sklearn.Coefficients[0]);
        for (int j = 0; j < result.Theta.Length - 1; j++)
        {
            max = Math.Max(max, Math.Abs(result.Theta[j] - sklearn.Coefficients[j + 1]));
        }
        return max;
    }
}
