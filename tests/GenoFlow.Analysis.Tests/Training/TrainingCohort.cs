using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Training;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>
/// One simulated cohort shared by the training tests: 1,000 samples x 600 variants, 2 populations, 1% missing, 30 causal
/// variants (h² 0.6), imported with 128-variant regions and 256-sample blocks; training rows are cut into shards of
/// 150 (7 shards), a quarter of the samples held out.
/// </summary>
public sealed class TrainingCohort : IDisposable
{
    public const int RowsPerShard = 150;
    public static readonly TestSplit Split = new(0.25, 7);
    private readonly TempDirectory _dir = new();

    public TrainingCohort()
    {
        var settings = new CohortSettings(Samples: 1000, Variants: 600, Populations: 2, Fst: 0.05, MissingRate: 0.01, Seed: 11, CausalVariants: 30, Heritability: 0.6, Prevalence: 0.3);
        (Bed, Dataset) = Cohort.Create(_dir.Path, settings, variantsPerTile: 128, samplesPerTile: 256);
        Phenotypes = SampleTable.Read(_dir.File("phenotypes.tsv"));
    }

    public string Bed { get; }

    public Dataset Dataset { get; }

    public SampleTable Phenotypes { get; }

    public string Directory => _dir.Path;

    public string NewPath(string name) => Path.Combine(_dir.Path, $"{name}-{Guid.NewGuid():N}");

    public static InProcessExecutor Executor(int parallelism = 2) => new(new TileCache(64 << 20), parallelism: parallelism, scratch: TestScratch.Root);

    public TrainingData Data(TrainingModel model, string target, params string[] covariates) =>
        TrainingData.Build(Dataset, Phenotypes, target, covariates, null, model, Split, NewPath("shards"), rowsPerShard: RowsPerShard);

    /// <summary>Trains, writes the output directory and returns it with the result.</summary>
    public async Task<(TrainingResult Result, string Output, TrainingData Data)> Train(TrainingSettings settings, string target, string[] covariates, IJobExecutor? executor = null)
    {
        TrainingData data = Data(settings.Model, target, covariates);
        TrainingResult result = await Trainer.RunAsync(executor ?? Executor(), data, settings, TestScratch.Root.CreateStore());
        string output = NewPath("out");
        TrainingOutput.Write(result, data, Split, output, RowsPerShard, null);
        return (result, output, data);
    }

    public void Dispose()
    {
        Dataset.Dispose();
        _dir.Dispose();
    }
}
