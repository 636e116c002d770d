using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Ld;

/// <summary>
/// The outcome of <see cref="LdPrune"/>: the variants that took part (dataset indices, increasing) and, for each, whether
/// it was pruned. Variants a QC filter left out are in neither list, as plink2 leaves excluded variants out of both.
/// </summary>
public sealed record LdPruneResult(Dataset Dataset, LdPruneSettings Settings, long[] Variants, bool[] Removed)
{
    public int Kept => Removed.Count(r => !r);

    public int RemovedCount => Removed.Count(r => r);
}
