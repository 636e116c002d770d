namespace GenoFlow.Core.Storage;

/// <summary>
/// How <see cref="DatasetWriter"/> cuts the genotype matrix into tiles and labels the dataset.
/// <see cref="SamplesPerTile"/> is a multiple of 4 so that a block's packed bytes are a slice of the full packed row.
/// </summary>
public sealed record DatasetWriteOptions(
    int VariantsPerTile = DatasetLayout.DefaultVariantsPerTile,
    int SamplesPerTile = DatasetLayout.DefaultSamplesPerTile,
    string Release = DatasetLayout.DefaultRelease)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(VariantsPerTile);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SamplesPerTile);
        if (SamplesPerTile % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SamplesPerTile), SamplesPerTile, "samples per tile must be a multiple of 4 (a block's packed bytes must be whole bytes of the row)");
        }
        if ((long)VariantsPerTile * (SamplesPerTile / 4) > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(VariantsPerTile), VariantsPerTile, $"a tile of {VariantsPerTile} variants x {SamplesPerTile} samples exceeds 2 GiB of packed genotypes");
        }
        ArgumentNullException.ThrowIfNull(Release);
    }
}
