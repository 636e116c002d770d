using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Training;
using Xunit.Abstractions;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>
/// Training after a release, warm-started from the previous release's model: the same optimum as a cold fit (the
/// objective is convex) in fewer averaging rounds.
/// </summary>
public sealed class WarmStartTrainingTests(TrainingCohort cohort, ITestOutputHelper output) : IClassFixture<TrainingCohort>
{
    [Theory]
    [InlineData(TrainingModel.Linear, "trait_q")]
    [InlineData(TrainingModel.Logistic, "trait_b")]
    public async Task A_fit_warm_started_from_the_previous_release_reaches_the_cold_optimum_in_fewer_rounds(TrainingModel model, string target)
    {
        var settings = new TrainingSettings(model, L2: 1, Tolerance: 1e-6);
        // Release 1: nine samples in ten; release 2 adds the tenth.
        bool[] release1 = Enumerable.Range(0, cohort.Dataset.SampleCount).Select(s => s % 10 != 9).ToArray();
        TrainingData previousData = Build(model, target, release1);
        TrainingResult previous = await Trainer.RunAsync(TrainingCohort.Executor(), previousData, settings, TestScratch.Root.CreateStore());
        string previousDir = cohort.NewPath("r1-out");
        TrainingOutput.Write(previous, previousData, cohort.Split, previousDir, TrainingCohort.RowsPerShard, null);

        TrainingData data = Build(model, target, null);
        TrainingResult cold = await Trainer.RunAsync(TrainingCohort.Executor(), data, settings, TestScratch.Root.CreateStore());
        double[] start = TrainingWarmStart.Theta(ModelFile.Load(previousDir), data, settings);
        TrainingResult warm = await Trainer.RunAsync(TrainingCohort.Executor(), data, settings, TestScratch.Root.CreateStore(), warmStart: start);

        double gap = cold.Theta.Zip(warm.Theta).Max(p => Math.Abs(p.First - p.Second));
        double scale = cold.Theta.Max(Math.Abs);
        output.WriteLine($"{model}: rounds cold {cold.Rounds}, warm {warm.Rounds}; max |θ_warm − θ_cold| {gap:E2} (max |θ| {scale:F3})");
        Assert.True(cold.Converged && warm.Converged);
        Assert.True(warm.Rounds < cold.Rounds, $"warm {warm.Rounds} rounds, cold {cold.Rounds}");
        Assert.True(gap <= 1e-3 * scale, $"warm and cold optima differ by {gap}");
    }

    [Fact]
    public void A_warm_start_from_another_kind_of_model_is_refused_naming_the_option()
    {
        var e = Assert.Throws<StageParameterException>(() => TrainingWarmStart.Theta(
            new ModelFile(ModelFile.CurrentFormat, TrainingModel.Logistic, "trait_b", Aggregation.Average, null!, 1, true, 0, [], [], null, [], null!, "", null),
            Build(TrainingModel.Linear, "trait_q", null), new TrainingSettings(TrainingModel.Linear, L2: 1)));
        Assert.Equal("warm-start", e.Parameter);
    }

    private TrainingData Build(TrainingModel model, string target, bool[]? samples) =>
        TrainingData.Build(cohort.Dataset, cohort.Phenotypes, target, ["age", "sex"], null, model, cohort.Split, cohort.NewPath("shards"),
            sampleKeep: samples, rowsPerShard: TrainingCohort.RowsPerShard);
}
