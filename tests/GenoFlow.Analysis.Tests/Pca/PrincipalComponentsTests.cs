using Xunit.Abstractions;
using GenoFlow.Analysis.Pca;

namespace GenoFlow.Analysis.Tests.Pca;

public sealed class PrincipalComponentsTests(PcaCohort cohort, ITestOutputHelper output) : IClassFixture<PcaCohort>
{
    [Fact]
    public void Exact_matches_plink2_pca()
    {
        int[] separated = cohort.SeparatedPcs();
        Assert.True(separated.Length >= 3, $"the simulated cohort should have 3 clearly separated PCs; plink2 eigenvalues {string.Join(", ", cohort.PlinkEigenvalues)}");
        double[][] scores = PcaCohort.Scores(cohort.Exact, cohort.Dataset);
        foreach (int k in separated)
        {
            double correlation = Math.Abs(PcaCohort.Correlation(scores[k], cohort.PlinkScores[k]));
            double relative = Math.Abs(cohort.Exact.Eigenvalues[k] / cohort.PlinkEigenvalues[k] - 1);
            output.WriteLine($"exact PC{k + 1}: |corr| {correlation:F7}, eigenvalue {cohort.Exact.Eigenvalues[k]:G6} vs plink2 {cohort.PlinkEigenvalues[k]} ({relative:P4})");
            Assert.True(correlation >= 0.999, $"PC{k + 1}: |corr| with plink2 {correlation}");
            Assert.True(relative <= 0.005, $"PC{k + 1}: eigenvalue {cohort.Exact.Eigenvalues[k]} vs plink2 {cohort.PlinkEigenvalues[k]}");
        }
        Assert.Equal(5000, cohort.Exact.VariantsUsed);
    }

    [Fact]
    public async Task Randomized_matches_exact_and_plink2()
    {
        PcaResult randomized = await cohort.Run(new PcaSettings(PcaCohort.K, Seed: 7));
        double[][] scores = PcaCohort.Scores(randomized, cohort.Dataset);
        double[][] exact = PcaCohort.Scores(cohort.Exact, cohort.Dataset);
        output.WriteLine($"randomized: {randomized.Iterations} iterations");
        Assert.True(randomized.Converged && randomized.Iterations >= 2, $"converged {randomized.Converged} after {randomized.Iterations} iterations");
        foreach (int k in cohort.SeparatedPcs())
        {
            double vsExact = PcaCohort.Correlation(scores[k], exact[k]);
            double vsPlink = Math.Abs(PcaCohort.Correlation(scores[k], cohort.PlinkScores[k]));
            double relative = Math.Abs(randomized.Eigenvalues[k] / cohort.Exact.Eigenvalues[k] - 1);
            output.WriteLine($"randomized PC{k + 1}: corr with exact {vsExact:F8}, |corr| with plink2 {vsPlink:F7}, eigenvalue vs exact {relative:E2}");
            Assert.True(vsExact >= 0.999, $"PC{k + 1}: corr with exact {vsExact} (signs are fixed, so it must be positive)");
            Assert.True(vsPlink >= 0.999, $"PC{k + 1}: |corr| with plink2 {vsPlink}");
            Assert.True(relative <= 0.005, $"PC{k + 1}: eigenvalue {randomized.Eigenvalues[k]} vs exact {cohort.Exact.Eigenvalues[k]}");
        }
    }

    [Fact]
    public async Task Default_stopping_rule_holds_separated_pcs_to_1e6_and_bulk_eigenvalues_to_1_percent_of_exact()
    {
        PcaResult randomized = await cohort.Run(new PcaSettings(PcaCohort.K, Seed: 3));
        double[][] scores = PcaCohort.Scores(randomized, cohort.Dataset);
        double[][] exact = PcaCohort.Scores(cohort.Exact, cohort.Dataset);
        int[] separated = cohort.SeparatedPcs();
        Assert.True(randomized.Converged, $"not converged after {randomized.Iterations} iterations");
        output.WriteLine($"randomized: {randomized.Iterations} iterations");
        for (int k = 0; k < PcaCohort.K; k++)
        {
            double relative = Math.Abs(randomized.Eigenvalues[k] / cohort.Exact.Eigenvalues[k] - 1);
            double correlation = PcaCohort.Correlation(scores[k], exact[k]);
            output.WriteLine($"PC{k + 1} ({(separated.Contains(k) ? "separated" : "bulk")}): eigenvalue {randomized.Eigenvalues[k]:G8} vs exact {cohort.Exact.Eigenvalues[k]:G8} ({relative:E2}), corr {correlation:F8}");
            if (separated.Contains(k))
            {
                Assert.True(relative <= 1e-6, $"PC{k + 1}: eigenvalue {randomized.Eigenvalues[k]} vs exact {cohort.Exact.Eigenvalues[k]}");
                Assert.True(correlation >= 0.99999, $"PC{k + 1}: corr with exact {correlation}");
            }
            else
            {
                Assert.True(relative <= 0.01, $"bulk PC{k + 1}: eigenvalue {randomized.Eigenvalues[k]} vs exact {cohort.Exact.Eigenvalues[k]}");
            }
        }
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_bytes()
    {
        PcaResult first = await cohort.Run(new PcaSettings(3, Seed: 11));
        PcaResult second = await cohort.Run(new PcaSettings(3, Seed: 11));
        Assert.Equal(first.Eigenvalues, second.Eigenvalues);
        Assert.Equal(first.Iterations, second.Iterations);
        for (int b = 0; b < cohort.Dataset.SampleBlockCount; b++)
        {
            Assert.Equal(first.Store.Read<byte>(PcaResult.ScoresPiece(b)), second.Store.Read<byte>(PcaResult.ScoresPiece(b)));
        }
        for (int r = 0; r < cohort.Dataset.RegionCount; r++)
        {
            Assert.Equal(first.Store.Read<byte>(PcaResult.LoadingsPiece(r)), second.Store.Read<byte>(PcaResult.LoadingsPiece(r)));
        }
    }

    [Fact]
    public void Scores_are_unit_norm_and_eigenvalues_decrease()
    {
        double[][] scores = PcaCohort.Scores(cohort.Exact, cohort.Dataset);
        foreach (double[] pc in scores)
        {
            Assert.Equal(1.0, pc.Sum(x => x * x), 6);
            Assert.True(pc.Max() >= -pc.Min(), "the largest-|value| entry of each score vector is positive");
        }
        Assert.True(cohort.Exact.Eigenvalues.Zip(cohort.Exact.Eigenvalues.Skip(1)).All(p => p.First >= p.Second));
        // trace(GRM) = Σ_j Σ_s x_sj² / M ≈ N for HWE-normalised complete data.
        Assert.InRange(cohort.Exact.Trace, 1800, 2200);
    }
}
