using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Training;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>
/// A cohort whose sample order follows ancestry, as biobank order follows recruitment centre: 1,200 samples x 800
/// variants in 4 populations (F_ST 0.1) in contiguous order, 40 causal variants (h² 0.5, prevalence 0.3); training rows
/// in shards of 150, a fifth of the samples held out.
/// </summary>
public sealed class StructuredCohort : IDisposable
{
    public const int RowsPerShard = 150;
    public static readonly TestSplit Split = new(0.2, 3);
    private readonly TempDirectory _dir = new();

    public StructuredCohort()
    {
        var settings = new CohortSettings(Samples: 1200, Variants: 800, Populations: 4, Fst: 0.1, MissingRate: 0.01, Seed: 5, CausalVariants: 40, Heritability: 0.5, Prevalence: 0.3);
        (Bed, Dataset) = Cohort.Create(_dir.Path, settings, variantsPerTile: 256, samplesPerTile: 256);
        Phenotypes = SampleTable.Read(_dir.File("phenotypes.tsv"));
    }

    public string Bed { get; }

    public Dataset Dataset { get; }

    public SampleTable Phenotypes { get; }

    public string Directory => _dir.Path;

    public string NewPath(string name) => Path.Combine(_dir.Path, $"{name}-{Guid.NewGuid():N}");

    public TrainingData Data(TrainingModel model, string target, string[] covariates, int rowsPerShard = RowsPerShard, int folds = TrainingSettings.DefaultFolds) =>
        TrainingData.Build(Dataset, Phenotypes, target, covariates, null, model, Split, NewPath("shards"), rowsPerShard: rowsPerShard, folds: folds);

    /// <summary>Trains, writes the output directory and returns it with the result.</summary>
    public async Task<(TrainingResult Result, string Output, TrainingData Data)> Train(TrainingSettings settings, string target, string[] covariates, int rowsPerShard = RowsPerShard)
    {
        TrainingData data = Data(settings.Model, target, covariates, rowsPerShard, settings.Folds);
        TrainingResult result = await Trainer.RunAsync(TrainingCohort.Executor(), data, settings, ScratchStore.Create(NewPath("scratch")));
        string output = NewPath("out");
        TrainingOutput.Write(result, data, Split, output, rowsPerShard, null);
        return (result, output, data);
    }

    public void Dispose()
    {
        Dataset.Dispose();
        _dir.Dispose();
    }
}
