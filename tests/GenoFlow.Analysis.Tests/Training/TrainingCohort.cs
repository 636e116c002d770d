using GenoFlow.Analysis.Training;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>
/// One simulated cohort shared by the training tests: 1,000 samples x 600 variants, 2 populations, 1% missing, 30 causal
/// variants (h² 0.6), imported with 128-variant regions and 256-sample blocks; training rows are cut into shards of
/// 150 (7 shards), a quarter of the samples held out.
/// </summary>
public sealed class TrainingCohort() : SimulatedTrainingCohort(
    new CohortSettings(Samples: 1000, Variants: 600, Populations: 2, Fst: 0.05, MissingRate: 0.01, Seed: 11, CausalVariants: 30, Heritability: 0.6, Prevalence: 0.3),
    new TestSplit(0.25, 7), variantsPerTile: 128);
