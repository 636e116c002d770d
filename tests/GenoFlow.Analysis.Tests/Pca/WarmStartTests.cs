using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Pca;
using Xunit.Abstractions;

namespace GenoFlow.Analysis.Tests.Pca;

/// <summary>
/// A refit after a release, warm-started from the previous release's model (the samples' projections onto it seed the
/// Krylov start block), converges to the cold fit's eigenvalues in fewer iterations; projecting the new samples onto
/// the frozen model reports how much of their variation each PC captures.
/// </summary>
public sealed class WarmStartTests(PcaCohort cohort, ITestOutputHelper output) : IClassFixture<PcaCohort>
{
    private static readonly PcaSettings Settings = new(PcaCohort.K, Seed: 7);
    private static readonly InProcessExecutor Executor = new(new TileCache(64 << 20), parallelism: 2, scratch: TestScratch.Root);

    /// <summary>The previous release's fit (samples where <paramref name="inRelease1"/> holds) and every sample's projection onto it.</summary>
    private async Task<(string ModelDir, Projection.Result Projected)> FitAndProject(Func<int, bool> inRelease1)
    {
        PcaResult previous = await cohort.Run(Settings, sampleKeep: Enumerable.Range(0, cohort.Dataset.SampleCount).Select(inRelease1).ToArray());
        string modelDir = Path.Combine(cohort.Directory, $"pca-r1-{Guid.NewGuid():N}");
        PcaOutput.Write(previous, cohort.Dataset, modelDir);
        Projection.Result projected = await Projection.RunAsync(Executor, cohort.Dataset, Projection.Model.Load(modelDir),
            TestScratch.Root.CreateStore());
        return (modelDir, projected);
    }

    [Fact]
    public async Task A_refit_warm_started_from_the_previous_release_reaches_the_cold_fits_eigenvalues_in_fewer_iterations()
    {
        // Release 1: the first 1,800 samples; release 2 adds the last 200.
        var (modelDir, projected) = await FitAndProject(s => s < 1800);
        PcaResult cold = await cohort.Run(Settings);
        PcaResult warm = await PrincipalComponents.RunAsync(Executor, cohort.Dataset, Settings,
            TestScratch.Root.CreateStore(),
            warmStart: new WarmStart(projected.K, b => projected.Store.Read<double>(Projection.Result.ScoresPiece(b))));

        output.WriteLine($"iterations: cold {cold.Iterations}, warm {warm.Iterations}");
        Assert.True(cold.Converged && warm.Converged);
        Assert.True(warm.Iterations < cold.Iterations, $"warm start took {warm.Iterations} iterations, cold {cold.Iterations}");
        for (int k = 0; k < PcaCohort.K; k++)
        {
            double relative = Math.Abs(warm.Eigenvalues[k] - cold.Eigenvalues[k]) / cold.Eigenvalues[k];
            output.WriteLine($"PC{k + 1}: cold {cold.Eigenvalues[k]:G8}, warm {warm.Eigenvalues[k]:G8}, relative difference {relative:E2}");
            Assert.True(relative <= 10 * Settings.Tolerance, $"PC{k + 1}: warm {warm.Eigenvalues[k]} vs cold {cold.Eigenvalues[k]}");
        }
        double[][] coldScores = PcaCohort.Scores(cold, cohort.Dataset);
        double[][] warmScores = PcaCohort.Scores(warm, cohort.Dataset);
        foreach (int k in cohort.SeparatedPcs())
        {
            Assert.True(Math.Abs(PcaCohort.Correlation(coldScores[k], warmScores[k])) >= 0.999, $"PC{k + 1} scores differ between the warm and the cold fit");
        }
    }

    [Fact]
    public async Task Drift_of_new_samples_on_a_frozen_model_separates_population_pcs_from_noise_pcs()
    {
        // The cohort's samples are in population order: a representative new release is every tenth sample.
        var (modelDir, projected) = await FitAndProject(s => s % 10 != 9);
        var scores = Projection.Collect(projected, cohort.Dataset, modelDir + "-out");
        PcaResult refit = await cohort.Run(Settings);
        var refitScores = PcaScores.Collect("refit", cohort.Dataset, refit);

        ProjectionDrift drift = ProjectionDrift.Compute(scores, GenoFlow.Analysis.Tables.SampleTable.Read(Path.Combine(modelDir, PcaOutput.ScoresFile)), refitScores, PcaCohort.K);
        Assert.Equal((1800, 200), (drift.ModelSamples, drift.NewSamples));
        for (int k = 0; k < PcaCohort.K; k++)
        {
            output.WriteLine($"PC{k + 1}: variance ratio {drift.NewMeanSquare[k] / drift.ModelMeanSquare[k]:F3}, |corr| with refit {drift.RefitCorrelation![k]:F4}");
        }
        // 4 populations: PC1-3 are structure, which new samples share; PC4-6 fit noise of the model's own samples.
        for (int k = 0; k < 3; k++)
        {
            Assert.InRange(drift.NewMeanSquare[k] / drift.ModelMeanSquare[k], 0.8, 1.25);
            Assert.True(drift.RefitCorrelation![k] > 0.99, $"PC{k + 1}");
        }
        for (int k = 3; k < PcaCohort.K; k++)
        {
            Assert.True(drift.NewMeanSquare[k] / drift.ModelMeanSquare[k] < 0.5, $"PC{k + 1} is noise: projection shrinks it");
        }
    }
}
