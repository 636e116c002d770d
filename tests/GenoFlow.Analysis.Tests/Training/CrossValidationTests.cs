using System.Globalization;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Training;
using Xunit.Abstractions;

namespace GenoFlow.Analysis.Tests.Training;

public sealed class CrossValidationTests(StructuredCohort cohort, ITestOutputHelper output) : IClassFixture<StructuredCohort>
{
    private static readonly string[] Covariates = ["age", "sex"];

    [Fact]
    public void Folds_are_stratified_by_class_and_depend_on_the_sample_id_only()
    {
        TrainingData data = cohort.Data(TrainingModel.Logistic, "trait_b", Covariates);
        TrainingData other = cohort.Data(TrainingModel.Logistic, "trait_b", Covariates, rowsPerShard: 97);
        Assert.Equal(data.Folds, other.Folds);
        for (int r = 0; r < data.Folds.Count; r++)
        {
            Assert.Equal(data.IsTest[r], data.Folds[r] == CrossValidationFolds.Test);
        }
        foreach (double y in new[] { 0.0, 1.0 })
        {
            int[] perFold = [.. Enumerable.Range(0, 5).Select(f => Enumerable.Range(0, data.Folds.Count).Count(r => data.Folds[r] == f && data.Targets[r] == y))];
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {y} per fold: {string.Join(", ", perFold)}");
        }
        // Every population (contiguous in sample order) has rows in every fold.
        int populations = data.SampleIds.Select(id => id.Split("_s")[0]).Distinct().Count();
        Assert.Equal(4, populations);
        foreach (var population in Enumerable.Range(0, data.Folds.Count).Where(r => !data.IsTest[r]).GroupBy(r => data.SampleIds[r].Split("_s")[0]))
        {
            Assert.Equal(5, population.Select(r => data.Folds[r]).Distinct().Count());
        }
    }

    [Fact]
    public async Task Fold_results_do_not_depend_on_the_shard_size()
    {
        var settings = new TrainingSettings(TrainingModel.Logistic, Rounds: 40, Tolerance: 1e-4);
        var (a, _, _) = await cohort.Train(settings, "trait_b", Covariates);
        var (b, _, _) = await cohort.Train(settings, "trait_b", Covariates, rowsPerShard: 97);
        CrossValidation x = a.CrossValidation!, y = b.CrossValidation!;
        output.WriteLine($"chosen l2 {x.Chosen} vs {y.Chosen}; fold AUC {x.FoldSummary["auc"]} vs {y.FoldSummary["auc"]}");
        Assert.Equal(x.Chosen, y.Chosen, 1e-6 * x.Chosen);
        for (int g = 0; g < x.ValidationLoss.Count; g++)
        {
            Assert.Equal(x.ValidationLoss[g], y.ValidationLoss[g], 1e-8);
        }
        for (int f = 0; f < x.Folds; f++)
        {
            Assert.Equal(x.FoldMetrics[f].Samples, y.FoldMetrics[f].Samples);
            Assert.Equal(x.FoldMetrics[f].Auc!.Value, y.FoldMetrics[f].Auc!.Value, 1e-8);
        }
    }

    [Fact]
    public async Task Exact_cross_validation_refines_l2_between_grid_points_and_reports_every_fold()
    {
        var (result, dir, data) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, Aggregation.Exact, Cv: CvMethod.KFold), "trait_q", Covariates);
        CrossValidation cv = result.CrossValidation!;
        output.WriteLine($"grid {string.Join(", ", cv.ValidationLoss.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}; refined {string.Join(", ", cv.Refinement)}; chosen {cv.Chosen}");
        Assert.Equal(PenaltySearch.RefinementSteps, cv.Refinement.Count);
        double bestGrid = cv.ValidationLoss.Min();
        Assert.True(cv.Refinement.Min(p => p.ValidationLoss) <= bestGrid, "refinement found nothing better than the grid point it started from");
        Assert.DoesNotContain(cv.Chosen, cv.Grid);
        Assert.Equal(result.L2, cv.Chosen);
        Assert.Equal(5, cv.FoldMetrics.Count);
        Assert.Equal(data.TrainRows, cv.FoldMetrics.Sum(m => m.Samples));
        double[] r2 = [.. cv.FoldMetrics.Select(m => m.R2!.Value)];
        Assert.Equal(r2.Average(), cv.FoldSummary["r2"].Mean, 1e-12);
        Assert.InRange(cv.FoldSummary["r2"].Sd, 1e-6, 0.2);
        string metrics = await File.ReadAllTextAsync(Path.Combine(dir, TrainingOutput.MetricsFile));
        Assert.Contains("\"fold_summary\"", metrics);
        Assert.Contains("\"fold_metrics\"", metrics);
    }

    [Fact]
    public async Task Cross_validation_on_few_shards_converges_with_fold_own_step_sizes()
    {
        // Known bug of the shard folds: 2 shards, 3 folds, 60 rounds diverged at small l2.
        var (result, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, Rounds: 60, Folds: 3), "trait_q", Covariates, rowsPerShard: 600);
        // Diverging fits reached a non-finite loss; these stay within a few times the trait's variance even where small
        // penalties overfit.
        Assert.All(result.CrossValidation!.ValidationLoss, l => Assert.True(double.IsFinite(l) && l < 5, $"validation loss {l}"));
        Assert.InRange(result.CrossValidation.ValidationLoss.Min(), 0.3, 0.5);
        Assert.True(File.Exists(Path.Combine(dir, TrainingOutput.MetricsFile)));
    }

    [Fact]
    public async Task Generalised_cross_validation_scores_every_l2_as_numpy_does_and_reaches_ridgecv_test_r2()
    {
        var (result, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, Aggregation.Exact, Cv: CvMethod.Gcv), "trait_q", Covariates);
        CrossValidation cv = result.CrossValidation!;
        Sklearn.Result sklearn = Reference(dir, "linear", [.. cv.Grid, .. cv.Refinement.Select(p => p.L2)]);
        double[] expected = [.. sklearn.Json.GetProperty("gcv").EnumerateArray().Select(e => e.GetDouble())];
        double[] ours = [.. cv.ValidationLoss, .. cv.Refinement.Select(p => p.ValidationLoss)];
        output.WriteLine($"GCV {string.Join(", ", ours.Select(l => l.ToString("F5", CultureInfo.InvariantCulture)))}; chosen {cv.Chosen:G4}");
        for (int i = 0; i < ours.Length; i++)
        {
            Assert.Equal(expected[i], ours[i], 1e-9 * expected[i]);
        }
        Assert.Equal(CvMethod.Gcv, cv.Method);
        Assert.Empty(cv.FoldMetrics);
        Assert.Equal(result.L2, cv.Chosen);
        Assert.True(cv.Refinement.Min(p => p.ValidationLoss) <= cv.ValidationLoss.Min());
        double r2 = result.Test!.R2!.Value, theirs = sklearn.Metric("test_r2");
        output.WriteLine($"test R² GCV {r2:F4} (l2 {cv.Chosen:G4}) RidgeCV {theirs:F4} (l2 {sklearn.Metric("chosen_l2"):G4})");
        Assert.True(r2 >= theirs - 0.005, $"test R² {r2} below RidgeCV's {theirs}");
        Assert.Contains("\"method\": \"gcv\"", await File.ReadAllTextAsync(Path.Combine(dir, TrainingOutput.ModelFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_one_out_scores_every_l2_as_ridgecv_does_and_chooses_its_alpha_on_its_grid()
    {
        var (result, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, Aggregation.Exact, Cv: CvMethod.Loo), "trait_q", Covariates);
        CrossValidation cv = result.CrossValidation!;
        PenaltyScore[] scored = [.. cv.Grid.Select((l2, g) => new PenaltyScore(l2, cv.ValidationLoss[g])), .. cv.Refinement];
        Sklearn.Result sklearn = Reference(dir, "linear", looL2s: [.. scored.Select(p => p.L2)]);
        double[] expected = [.. sklearn.Json.GetProperty("loo").EnumerateArray().Select(e => e.GetDouble())];
        output.WriteLine($"LOO grid {string.Join(", ", cv.ValidationLoss.Select(l => l.ToString("F5", CultureInfo.InvariantCulture)))}; chosen {cv.Chosen:G4}");
        for (int i = 0; i < scored.Length; i++)
        {
            Assert.Equal(expected[i], scored[i].ValidationLoss, 1e-9 * expected[i]);
        }
        Assert.Equal(CvMethod.Loo, cv.Method);
        Assert.Empty(cv.FoldMetrics);
        Assert.Equal(result.L2, cv.Chosen);
        Assert.Equal(scored.MinBy(p => p.ValidationLoss)!.L2, cv.Chosen);
        // scikit-learn's 41-point grid (10^-3 … 10^2, 8 a decade) is every 8th point of ours: on the points of it scored
        // here (the grid, and the refinement within a half decade of the best grid point) the choice is RidgeCV's.
        double[] theirGrid = [.. Enumerable.Range(0, 41).Select(i => Math.Pow(10, -3 + i / 8.0))];
        PenaltyScore[] onTheirGrid = [.. scored.Where(p => theirGrid.Any(l => Math.Abs(l / p.L2 - 1) < 1e-12))];
        Assert.True(onTheirGrid.Length >= 17, $"{onTheirGrid.Length} points on scikit-learn's grid");
        Assert.Equal(sklearn.Metric("chosen_l2"), onTheirGrid.MinBy(p => p.ValidationLoss)!.L2, 1e-12);
        double r2 = result.Test!.R2!.Value, theirs = sklearn.Metric("test_r2");
        output.WriteLine($"test R² LOO {r2:F4} (l2 {cv.Chosen:G4}) RidgeCV {theirs:F4} (l2 {sklearn.Metric("chosen_l2"):G4})");
        Assert.True(r2 >= theirs - 0.001, $"test R² {r2} below RidgeCV's {theirs}");
        Assert.Contains("\"method\": \"loo\"", await File.ReadAllTextAsync(Path.Combine(dir, TrainingOutput.ModelFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Searching_both_penalties_picks_l1_by_grid_and_refinement_at_the_chosen_l2()
    {
        var (result, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, Tolerance: 1e-4, SearchL1: true), "trait_q", Covariates);
        CrossValidation cv = result.CrossValidation!;
        L1Search search = cv.L1!;
        output.WriteLine($"l2 {cv.Chosen:G4} (loss {search.LossWithoutL1:F5}); l1 grid {string.Join(", ", search.ValidationLoss.Select(l => l.ToString("F5", CultureInfo.InvariantCulture)))}; "
            + $"refined {string.Join(", ", search.Refinement)}; chosen l1 {search.Chosen:G4}; test R² {result.Test!.R2:F4}");
        Assert.Equal(TrainingSettings.L1Grid.Count, search.ValidationLoss.Count);
        Assert.Equal(PenaltySearch.RefinementSteps, search.Refinement.Count);
        double bestL1 = Math.Min(search.ValidationLoss.Min(), search.Refinement.Min(r => r.ValidationLoss));
        // 40 causal variants of 800: a sparse model validates better than ridge alone, and l1 is chosen between grid points.
        Assert.True(bestL1 < search.LossWithoutL1, $"no l1 beat l1 = 0 ({bestL1} vs {search.LossWithoutL1})");
        Assert.True(search.Chosen > 0);
        Assert.Equal(search.Chosen, result.L1);
        Assert.Equal(cv.Chosen, result.L2);
        Assert.Contains(search.Chosen, search.Refinement.Select(r => r.L1).Concat(search.Grid));
        Assert.Equal(bestL1, search.Refinement.Concat(search.Grid.Select((l, i) => new L1Score(l, search.ValidationLoss[i]))).Single(r => r.L1 == search.Chosen).ValidationLoss);
        Assert.True(result.Theta.Take(800).Count(w => w == 0) > 200, "an l1 model zeroes many variants");
        Assert.Equal(5, cv.FoldMetrics.Count);
        string model = await File.ReadAllTextAsync(Path.Combine(dir, TrainingOutput.ModelFileName));
        Assert.Contains("\"l1\": {", model, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cv", "gcv", null, null, "average", "linear")]
    [InlineData("cv", "gcv", null, "1", "exact", "linear")]
    [InlineData("cv", "loo", null, null, "average", "linear")]
    [InlineData("cv", "loo", null, "1", "exact", "linear")]
    [InlineData("search", null, "both", null, "exact", "linear")]
    [InlineData("search", null, "both", "1", "average", "linear")]
    [InlineData("cv-score", null, null, null, "average", "linear", "auc")]
    public void Cross_validation_options_are_refused_where_they_do_not_apply(string option, string? cv, string? search, string? l2, string aggregate, string model, string? score = null)
    {
        TrainingSettings settings = TrainingSettings.Of(model == "linear" ? TrainingModel.Linear : TrainingModel.Logistic, aggregate == "exact" ? Aggregation.Exact : Aggregation.Average,
            null, l2 is null ? null : 1.0, cv: cv, search: search, cvScore: score);
        var error = Assert.Throws<Analysis.Stages.StageParameterException>(settings.Validate);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    private Sklearn.Result Reference(string dir, string model, IReadOnlyList<double>? gcvL2s = null, IReadOnlyList<double>? looL2s = null) =>
        Sklearn.Fit(cohort.Bed, Path.Combine(cohort.Directory, "phenotypes.tsv"), model == "linear" ? "trait_q" : "trait_b", string.Join(',', Covariates),
            Path.Combine(dir, TrainingOutput.PredictionsFile), model, 0, 0, cohort.Directory, crossValidate: true, gcvL2s: gcvL2s, looL2s: looL2s);
}
