using GenoFlow.Analysis.Training;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>
/// A rare binary outcome: 2,000 samples x 400 variants, 2 populations, 20 causal variants (h² 0.6) and 5% cases; a
/// quarter of the samples held out, stratified by class.
/// </summary>
public sealed class ImbalancedCohort() : SimulatedTrainingCohort(
    new CohortSettings(Samples: 2000, Variants: 400, Populations: 2, Fst: 0.05, MissingRate: 0.01, Seed: 17, CausalVariants: 20, Heritability: 0.6, Prevalence: 0.05),
    new TestSplit(0.25, 9, Stratified: true));
