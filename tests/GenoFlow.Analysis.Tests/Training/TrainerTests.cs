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
