using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Training;
using GenoFlow.Core;
using GenoFlow.Core.Storage;
using Xunit.Abstractions;

namespace GenoFlow.Analysis.Tests.Training;

public sealed class MultiOmicsTests(OmicsCohort cohort, ITestOutputHelper output) : IClassFixture<OmicsCohort>
{
    private static readonly string[] Covariates = ["age", "sex"];

    private string Omics => Path.Combine(cohort.Directory, "omics.tsv");

    [Fact]
    public async Task Genotypes_and_omics_together_predict_better_than_either_alone()
    {
        var settings = new TrainingSettings(TrainingModel.Linear, Aggregation.Exact, Cv: CvMethod.KFold);
        FeatureTable omics = FeatureTable.Parse(Omics);
        Assert.Equal(30, omics.Columns.Count);
        var (genotypesOnly, _, _) = await cohort.Train(settings, "trait_q", Covariates);
        var (omicsOnly, _, omicsData) = await cohort.Train(settings, "trait_q", Covariates, features: [omics], genotypes: false);
        var (both, dir, data) = await cohort.Train(settings, "trait_q", Covariates, features: [omics]);
        double g = genotypesOnly.Test!.R2!.Value, o = omicsOnly.Test!.R2!.Value, b = both.Test!.R2!.Value;
        output.WriteLine($"test R²: genotypes {g:F4}, omics {o:F4}, both {b:F4}");
        Assert.Empty(omicsData.Variants);
        Assert.Equal(Covariates.Length + 30, omicsData.Parameters);
        Assert.True(b > Math.Max(g, o) + 0.02, $"both {b} vs genotypes {g}, omics {o}");
        // 1% of the cells are missing: counted, and standardised to the mean.
        FeatureTableCounts counts = Assert.Single(data.FeatureTables);
        Assert.Equal(0, counts.AbsentSamples);
        Assert.InRange(counts.MissingValues, 0.005 * 30 * data.Targets.Count, 0.015 * 30 * data.Targets.Count);
        ModelFile model = ModelFile.Load(dir);
        Assert.Equal(30, model.Features!.Count);
        string top = await File.ReadAllTextAsync(Path.Combine(dir, FeatureTables.TopFeaturesFile));
        Assert.Contains("\tfeature\tomics_", top);
    }

    [Fact]
    public async Task Prediction_with_the_feature_tables_reproduces_the_training_predictions()
    {
        FeatureTable omics = FeatureTable.Parse($"{Omics}:omics_1,omics_2,omics_3");
        Assert.Equal(["omics_1", "omics_2", "omics_3"], omics.Names);
        var (result, dir, data) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, L2: 0.5), "trait_q", Covariates, features: [omics]);
        ModelFile model = ModelFile.Load(dir);
        Prediction.Result predicted = await Prediction.RunAsync(TrainingCohort.Executor(), cohort.Dataset, model, cohort.Phenotypes, null,
            TestScratch.Root.CreateStore(), features: [omics.Table]);
        var row = predicted.SampleIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        for (int r = 0; r < data.SampleIds.Count; r++)
        {
            Assert.Equal(result.Margins[r], predicted.Margins[row[data.SampleIds[r]]]);
        }
        var error = await Assert.ThrowsAsync<StageParameterException>(() => Prediction.RunAsync(TrainingCohort.Executor(), cohort.Dataset, model, cohort.Phenotypes, null,
            TestScratch.Root.CreateStore()));
        Assert.Contains("omics_1", error.Message);
    }

    [Fact]
    public void Feature_tables_are_checked_with_file_and_line()
    {
        string duplicate = cohort.NewPath("dup.tsv");
        File.WriteAllText(duplicate, "sample_id\tx\ns1\t1\ns2\t2\ns1\t3\n");
        var error = Assert.Throws<GenoFlowFormatException>(() => FeatureTable.Parse(duplicate));
        Assert.Contains("line 4", error.Message);
        Assert.Contains("line 2", error.Message);
        Assert.Contains("omics_99", Assert.ThrowsAny<Exception>(() => FeatureTable.Parse($"{Omics}:omics_99")).Message);
        var clash = Assert.Throws<StageParameterException>(() => cohort.Data(TrainingModel.Linear, "trait_q", Covariates,
            features: [FeatureTable.Parse(Omics), FeatureTable.Parse($"{Omics}:omics_1")]));
        Assert.Contains("omics_1", clash.Message);
    }
}
