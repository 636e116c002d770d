using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Training;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>
/// A simulated cohort imported for training tests (256-sample tiles), with its test split; training rows in shards of
/// 150 unless a test says otherwise. Subclasses choose the simulation.
/// </summary>
public abstract class SimulatedTrainingCohort : IDisposable
{
    public const int RowsPerShard = 150;
    private readonly TempDirectory _dir = new();

    protected SimulatedTrainingCohort(CohortSettings settings, TestSplit split, int variantsPerTile = 256)
    {
        Split = split;
        (Bed, Dataset) = Cohort.Create(_dir.Path, settings, variantsPerTile, samplesPerTile: 256);
        Phenotypes = SampleTable.Read(_dir.File("phenotypes.tsv"));
    }

    public TestSplit Split { get; }

    public string Bed { get; }

    public Dataset Dataset { get; }

    public SampleTable Phenotypes { get; }

    public string Directory => _dir.Path;

    public static InProcessExecutor Executor(int parallelism = 2) => new(new TileCache(64 << 20), parallelism: parallelism, scratch: TestScratch.Root);

    public string NewPath(string name) => Path.Combine(_dir.Path, $"{name}-{Guid.NewGuid():N}");

    /// <param name="genotypes">False: no variant is a feature.</param>
    public TrainingData Data(TrainingModel model, string target, string[] covariates, int rowsPerShard = RowsPerShard, int folds = TrainingSettings.DefaultFolds,
        IReadOnlyList<FeatureTable>? features = null, bool genotypes = true) =>
        TrainingData.Build(Dataset, Phenotypes, target, covariates, null, model, Split, NewPath("shards"), genotypes ? null : new bool[Dataset.VariantCount],
            rowsPerShard: rowsPerShard, folds: folds, features: features);

    /// <summary>Trains, writes the output directory and returns it with the result.</summary>
    public async Task<(TrainingResult Result, string Output, TrainingData Data)> Train(TrainingSettings settings, string target, string[] covariates, int rowsPerShard = RowsPerShard,
        IReadOnlyList<FeatureTable>? features = null, bool genotypes = true, IJobExecutor? executor = null)
    {
        TrainingData data = Data(settings.Model, target, covariates, rowsPerShard, settings.Folds, features, genotypes);
        TrainingResult result = await Trainer.RunAsync(executor ?? Executor(), data, settings, TestScratch.Root.CreateStore());
        string output = NewPath("out");
        TrainingOutput.Write(result, data, Split, output, rowsPerShard, null);
        return (result, output, data);
    }

    public void Dispose()
    {
        Dataset.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
