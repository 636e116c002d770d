using System.Globalization;
using GenoFlow.Analysis.Training;
using Xunit.Abstractions;

namespace GenoFlow.Analysis.Tests.Training;

public sealed class InterpretabilityTests(TrainingCohort cohort, ITestOutputHelper output) : IClassFixture<TrainingCohort>
{
    private static readonly string[] Covariates = ["age", "sex"];

    [Fact]
    public async Task Top_features_rank_every_feature_by_absolute_weight_with_its_variant()
    {
        var (result, dir, data) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, L2: 0.5), "trait_q", Covariates);
        string[] lines = await File.ReadAllLinesAsync(Path.Combine(dir, FeatureTables.TopFeaturesFile));
        Assert.Equal("rank\tkind\tname\tchrom\tpos\tid\tref\talt\teffect_allele\tweight", lines[0]);
        Assert.Equal(data.Parameters + 1, lines.Length);
        double previous = double.PositiveInfinity;
        for (int i = 1; i < lines.Length; i++)
        {
            string[] f = lines[i].Split('\t');
            Assert.Equal(10, f.Length);
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), f[0]);
            double weight = double.Parse(f[9], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(weight) <= previous, $"line {i + 1}: |{weight}| after {previous}");
            previous = Math.Abs(weight);
            if (f[1] == "variant")
            {
                int j = data.Variants.ToList().FindIndex(v => v.Id == f[2]);
                Assert.Equal((data.Variants[j].Chrom, data.Variants[j].Position.ToString(CultureInfo.InvariantCulture), data.Variants[j].Alt), (f[3], f[4], f[8]));
                Assert.Equal(result.Theta[j], weight);
            }
            else
            {
                Assert.Equal("covariate", f[1]);
                Assert.Contains(f[2], Covariates);
                Assert.Equal("", f[3]);
            }
        }
    }

    [Fact]
    public async Task Permutation_importance_is_largest_where_the_causal_effects_are()
    {
        var (result, dir, data) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, L2: 0.5), "trait_q", Covariates);
        string[] lines = await File.ReadAllLinesAsync(Path.Combine(dir, FeatureTables.ImportanceFile));
        Assert.Equal("name\tkind\tfeatures\tmetric\tbaseline\timportance_mean\timportance_sd", lines[0]);
        int regions = data.VariantRegions.Distinct().Count();
        Assert.Equal(regions + Covariates.Length + 1, lines.Length);
        Assert.Equal(data.Parameters, result.Importance.Sum(i => i.Features));
        Assert.All(result.Importance, i => Assert.Equal(result.Test!.R2!.Value, i.Baseline, 1e-6));
        foreach (FeatureImportance i in result.Importance)
        {
            output.WriteLine($"{i.Name}\t{i.Kind}\t{i.Features}\t{i.ImportanceMean:F4} ± {i.ImportanceSd:F4}");
        }
        // The region carrying the most causal signal (Σ beta²) is among the two most important groups, clearly above zero.
        IReadOnlyDictionary<string, double> causal = CausalRecovery.Read(Path.Combine(cohort.Directory, "causal_variants.tsv"));
        string strongest = data.Variants.Select((v, j) => (Region: data.VariantRegions[j], Signal: causal.TryGetValue(v.Id, out double b) ? b * b : 0))
            .GroupBy(x => x.Region).OrderByDescending(g => g.Sum(x => x.Signal)).First().Key;
        FeatureImportance top = result.Importance.Single(i => i.Name == strongest);
        Assert.Contains(top, result.Importance.OrderByDescending(i => i.ImportanceMean).Take(2));
        Assert.True(top.ImportanceMean > 3 * top.ImportanceSd && top.ImportanceMean > 0.02, $"{top}");
    }

    [Fact]
    public async Task L1_model_recovers_most_strong_causal_variants()
    {
        IReadOnlyDictionary<string, double> causal = CausalRecovery.Read(Path.Combine(cohort.Directory, "causal_variants.tsv"));
        var (lasso, _, lassoData) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, L1: 0.03, L2: 0), "trait_q", Covariates);
        var (ridge, _, ridgeData) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, L2: 0.5), "trait_q", Covariates);
        RecoveryAtK l1 = CausalRecovery.Of(lasso, lassoData, causal).Single(k => k.K == causal.Count);
        RecoveryAtK l2 = CausalRecovery.Of(ridge, ridgeData, causal).Single(k => k.K == causal.Count);
        output.WriteLine($"top {l1.K}: L1 {l1}; L2 {l2}");
        Assert.True(l1.StrongRecall >= 0.75, $"L1 recovered {l1.StrongRecall:P0} of the strong causal variants");
        Assert.True(l1.Precision >= l2.Precision, $"L1 precision {l1.Precision} below L2's {l2.Precision}");
    }

    [Fact]
    public void Causal_table_errors_name_the_file_and_line()
    {
        string path = cohort.NewPath("causal.tsv");
        File.WriteAllText(path, "variant_id\tbeta\nrs1\t0.5\nrs2\tbig\n");
        var error = Assert.Throws<Core.GenoFlowFormatException>(() => CausalRecovery.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("3", error.Message);
    }
}
