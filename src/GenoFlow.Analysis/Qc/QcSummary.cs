namespace GenoFlow.Analysis.Qc;

/// <summary>
/// What QC kept, for the CLI to print. A variant can fail several filters, so the per-filter counts may add up to more
/// than <see cref="Variants"/> − <see cref="VariantsPassing"/>. Variant counts are over the samples that pass <c>--mind</c>.
/// </summary>
public sealed record QcSummary(
    long Variants,
    long VariantsFailingMaf,
    long VariantsFailingMissing,
    long VariantsFailingHwe,
    long VariantsPassing,
    int Samples,
    int SamplesFailingMissing,
    int SamplesPassing);
