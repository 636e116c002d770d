using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Training;
using Xunit.Abstractions;

namespace GenoFlow.Analysis.Tests.Training;

public sealed class FeatureSelectionTests(StructuredCohort cohort, ITestOutputHelper output) : IClassFixture<StructuredCohort>
{
    private const int Kept = 20;

    [Fact]
    public async Task Screening_inside_the_folds_does_not_inflate_the_cross_validated_score_of_a_null_trait()
    {
        // A trait that nothing predicts.
        var random = new Random(5);
        IReadOnlyList<string> ids = cohort.Phenotypes.SampleIds;
        SampleTable nullTrait = SampleTable.FromColumns("null-trait", ids, ["null_q"], [[.. ids.Select(_ => random.NextDouble() * 2 - 1)]]);

        var screened = new TrainingSettings(TrainingModel.Linear, Rounds: 200, Tolerance: 1e-4, SelectTop: Kept);
        TrainingResult inside = await Train(nullTrait, screened, null);

        // The leak a user makes by hand: screen once on every training row, then cross-validate on the variants kept.
        TrainingResult all = await Train(nullTrait, new TrainingSettings(TrainingModel.Linear, L2: 1, SelectTop: Kept), null);
        int[] kept = [.. Enumerable.Range(0, (int)cohort.Dataset.VariantCount).Where(j => all.Theta[j] != 0)];
        Assert.Equal(Kept, kept.Length);
        var variantKeep = new bool[cohort.Dataset.VariantCount];
        foreach (int j in kept)
        {
            variantKeep[j] = true;
        }
        TrainingResult outside = await Train(nullTrait, new TrainingSettings(TrainingModel.Linear, Rounds: 200, Tolerance: 1e-4), variantKeep);

        MeanSd honest = inside.CrossValidation!.FoldSummary["r2"], leaky = outside.CrossValidation!.FoldSummary["r2"];
        output.WriteLine($"cross-validated R² of a null trait: screened inside the folds {honest.Mean:F4} ± {honest.Sd:F4}, outside {leaky.Mean:F4} ± {leaky.Sd:F4}");
        Assert.True(honest.Mean < 0.01, $"in-fold screening scored a null trait at R² {honest.Mean}");
        Assert.True(leaky.Mean > honest.Mean + 0.02, $"outside-fold screening {leaky.Mean} vs inside {honest.Mean}: the test cannot tell a leak");
    }

    [Fact]
    public async Task Select_top_keeps_k_variants_and_every_covariate()
    {
        var (result, dir, data) = await cohort.Train(new TrainingSettings(TrainingModel.Logistic, L2: 0.05, SelectTop: 15), "trait_b", ["age", "sex"]);
        Assert.Equal(15, result.Theta.Take(data.Variants.Count).Count(w => w != 0));
        Assert.All(result.Theta.Skip(data.Variants.Count), w => Assert.NotEqual(0, w));
        Assert.Equal(15, ModelFile.Load(dir).HyperParameters.SelectTop);
        Assert.Throws<Analysis.Stages.StageParameterException>(() => new TrainingSettings(TrainingModel.Linear, Aggregation.Exact, L2: 1, SelectTop: 5).Validate());
    }

    private async Task<TrainingResult> Train(SampleTable phenotypes, TrainingSettings settings, bool[]? variantKeep)
    {
        TrainingData data = TrainingData.Build(cohort.Dataset, phenotypes, "null_q", [], null, settings.Model, cohort.Split, cohort.NewPath("shards"), variantKeep,
            rowsPerShard: SimulatedTrainingCohort.RowsPerShard);
        return await Trainer.RunAsync(TrainingCohort.Executor(), data, settings, TestScratch.Root.CreateStore());
    }
}
