using GenoFlow.Analysis.Training;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary><see cref="StructuredCohort"/> drawn with other seeds (cohort and test split), so a target met is not one cohort's luck.</summary>
public sealed class StructuredCohortSecondSeed() : SimulatedTrainingCohort(
    new CohortSettings(Samples: 1200, Variants: 800, Populations: 4, Fst: 0.1, MissingRate: 0.01, Seed: 17, CausalVariants: 40, Heritability: 0.5, Prevalence: 0.3),
    new TestSplit(0.2, 8));
