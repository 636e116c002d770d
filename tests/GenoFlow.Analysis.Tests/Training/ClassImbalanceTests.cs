using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Training;
using Xunit.Abstractions;

namespace GenoFlow.Analysis.Tests.Training;

public sealed class ClassImbalanceTests(ImbalancedCohort cohort, ITestOutputHelper output) : IClassFixture<ImbalancedCohort>
{
    private static readonly string[] Covariates = ["age", "sex"];

    [Fact]
    public async Task Balanced_weights_reach_sklearn_balanced_optimum_at_5_percent_prevalence()
    {
        var settings = new TrainingSettings(TrainingModel.Logistic, L2: 0.01, ClassWeight: ClassWeight.BalancedClasses);
        var (result, dir, data) = await cohort.Train(settings, "trait_b", Covariates);
        Sklearn.Result sklearn = Sklearn.Fit(cohort.Bed, Path.Combine(cohort.Directory, "phenotypes.tsv"), "trait_b", string.Join(',', Covariates),
            Path.Combine(dir, TrainingOutput.PredictionsFile), "logistic", 0, 0.01, cohort.Directory, classWeight: "balanced");
        double positives = Enumerable.Range(0, data.Targets.Count).Count(r => !data.IsTest[r] && data.Targets[r] == 1);
        Assert.Equal(data.TrainRows / (2 * positives), result.ClassWeights.Positive, 1e-12);
        Assert.InRange(positives / data.TrainRows, 0.03, 0.07);
        double difference = result.Theta.SkipLast(1).Select((w, j) => Math.Abs(w - sklearn.Coefficients[j + 1])).Max();
        output.WriteLine($"rounds {result.Rounds}; max |Δw| {difference:E2}; test AUC {result.Test!.Auc:F4} vs {sklearn.Metric("test_auc"):F4}; recall {result.Test.Recall:F4} vs {sklearn.Metric("test_recall"):F4}");
        Assert.True(result.Converged);
        Assert.True(difference <= 1e-3, $"max |θ − sklearn| = {difference}");
        Assert.Equal(sklearn.Metric("test_auc"), result.Test.Auc!.Value, 1e-3);
        Assert.Equal(sklearn.Metric("test_recall"), result.Test.Recall!.Value, 1e-9);
    }

    [Fact]
    public async Task Balanced_weights_raise_recall_at_half_over_unweighted()
    {
        var (none, _, _) = await cohort.Train(new TrainingSettings(TrainingModel.Logistic, L2: 0.5), "trait_b", Covariates);
        var (balanced, _, _) = await cohort.Train(new TrainingSettings(TrainingModel.Logistic, L2: 0.5, ClassWeight: ClassWeight.BalancedClasses), "trait_b", Covariates);
        output.WriteLine($"none: recall {none.Test!.Recall:F3} PR AUC {none.Test.PrAuc:F3} AUC {none.Test.Auc:F3}; balanced: recall {balanced.Test!.Recall:F3} PR AUC {balanced.Test.PrAuc:F3} AUC {balanced.Test.Auc:F3}");
        Assert.True(balanced.Test.Recall > none.Test.Recall + 0.2, $"recall {balanced.Test.Recall} vs unweighted {none.Test.Recall}");
        Assert.Equal(1, none.ClassWeights.Positive);
    }

    [Fact]
    public void Stratified_test_split_holds_out_the_fraction_of_each_class()
    {
        TrainingData data = cohort.Data(TrainingModel.Logistic, "trait_b", Covariates);
        foreach (double y in new[] { 0.0, 1.0 })
        {
            int n = data.Targets.Count(t => t == y), test = Enumerable.Range(0, data.Targets.Count).Count(r => data.Targets[r] == y && data.IsTest[r]);
            Assert.Equal((int)Math.Round(0.25 * n, MidpointRounding.AwayFromZero), test);
        }
        Assert.Throws<StageParameterException>(() => cohort.Data(TrainingModel.Linear, "trait_q", Covariates));
    }

    [Fact]
    public void Class_weights_are_parsed_and_checked()
    {
        Assert.Equal(ClassWeight.None, ClassWeight.Parse("none"));
        Assert.Equal(ClassWeight.BalancedClasses, ClassWeight.Parse("balanced"));
        Assert.Equal((1.0, 19.0), ClassWeight.Parse("19").Resolve([0, 1]));
        Assert.Equal((0.75, 1.5), ClassWeight.BalancedClasses.Resolve([0, 0, 1]));
        var error = Assert.Throws<StageParameterException>(() => ClassWeight.Parse("-2"));
        Assert.Contains("class-weight", error.Message);
        Assert.Throws<StageParameterException>(() => new TrainingSettings(TrainingModel.Linear, L2: 1, ClassWeight: ClassWeight.BalancedClasses).Validate());
    }
}
