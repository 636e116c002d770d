namespace GenoFlow.Core.Storage;

/// <summary>
/// One release in a dataset's history (the manifest's <c>releases</c>, oldest first): what the dataset held after it and
/// what it added. The first release is the import that created the dataset; later ones come from appends.
/// </summary>
/// <param name="Label">The release label, unique within the dataset (<c>DATASET@LABEL</c> opens it).</param>
/// <param name="Generation">The generation whose manifest is this release (its data files may live in earlier generations).</param>
/// <param name="SampleCount">Samples in the dataset after this release.</param>
/// <param name="VariantCount">Variants in the dataset after this release.</param>
/// <param name="AddedSamples">Samples this release added (all of them for the first release).</param>
/// <param name="AddedVariants">Variants this release added as new regions (all of them for the first release).</param>
/// <param name="FirstAddedBlock">First sample block holding samples of this release (the last, partly filled block of the
/// previous release is rewritten when new samples fill it); equals the block count when no sample was added.</param>
/// <param name="FirstAddedRegion">First region this release added; equals the region count when no variant was added.</param>
/// <param name="WrittenTiles">Tile files this release wrote; the other tiles are the previous release's files, shared.</param>
/// <param name="WrittenBytes">Bytes of data files this release wrote (tiles, sample and variant tables).</param>
/// <param name="AppendedAt">When the release was appended (UTC, ISO 8601); null for the import that created the dataset,
/// which is written deterministically (the same input gives the same bytes).</param>
/// <param name="ReplacedSamples">Samples already in the dataset whose calls this release replaced (<c>--replace-samples</c>).</param>
/// <param name="MissingVariants">Dataset variants absent from this release's input: missing calls for its samples.</param>
/// <param name="IgnoredVariants">Input variants absent from the dataset, not added (no <c>--add-variants</c>) or repeated.</param>
/// <param name="FlippedVariants">Input variants matched with REF and ALT swapped: stored as 2 − g.</param>
public sealed record ReleaseInfo(
    string Label,
    int Generation,
    int SampleCount,
    long VariantCount,
    int AddedSamples,
    long AddedVariants,
    int FirstAddedBlock,
    int FirstAddedRegion,
    int WrittenTiles,
    long WrittenBytes,
    string? AppendedAt = null,
    int ReplacedSamples = 0,
    long MissingVariants = 0,
    long IgnoredVariants = 0,
    long FlippedVariants = 0);
