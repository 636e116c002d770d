using GenoFlow.Analysis.Training;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>
/// A cohort whose sample order follows ancestry, as biobank order follows recruitment centre: 1,200 samples x 800
/// variants in 4 populations (F_ST 0.1) in contiguous order, 40 causal variants (h² 0.5, prevalence 0.3); a fifth of the
/// samples held out.
/// </summary>
public sealed class StructuredCohort() : SimulatedTrainingCohort(
    new CohortSettings(Samples: 1200, Variants: 800, Populations: 4, Fst: 0.1, MissingRate: 0.01, Seed: 5, CausalVariants: 40, Heritability: 0.5, Prevalence: 0.3),
    new TestSplit(0.2, 3));
