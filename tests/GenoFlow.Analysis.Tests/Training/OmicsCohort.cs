using GenoFlow.Analysis.Training;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>
/// A cohort with an omics table (<c>omics.tsv</c>, 30 features: a third driven by the causal variants, a third by
/// trait_q, a third noise): 1,500 samples x 200 variants, 3 populations, 20 causal variants (h² 0.5); a fifth held out.
/// </summary>
public sealed class OmicsCohort() : SimulatedTrainingCohort(
    new CohortSettings(Samples: 1500, Variants: 200, Populations: 3, Fst: 0.05, MissingRate: 0.01, Seed: 23, CausalVariants: 20, Heritability: 0.5) { Omics = 30 },
    new TestSplit(0.2, 4));
