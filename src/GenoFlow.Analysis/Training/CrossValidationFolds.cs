using System.IO.Hashing;
using System.Text;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The cross-validation fold of every training sample, decided by the sample's id and the seed alone (as the test split
/// is): within each stratum (each class of a logistic target; all rows of a linear one) the samples are ordered by
/// xxh3("{seed}:fold:{sample_id}") and dealt round the folds, so every fold gets its share of each class and of each
/// population whatever the sample order, and folds never depend on shards or nodes.
/// </summary>
public static class CrossValidationFolds
{
    /// <summary>The fold of a test row.</summary>
    public const int Test = ShardFeatures.NoFold;

    /// <param name="stratify">Deal each class separately (logistic targets).</param>
    /// <returns>Per row, its fold in [0, folds), or <see cref="Test"/>.</returns>
    public static int[] Assign(IReadOnlyList<string> sampleIds, IReadOnlyList<double> targets, IReadOnlyList<bool> isTest, int folds, ulong seed, bool stratify)
    {
        ArgumentNullException.ThrowIfNull(sampleIds);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(isTest);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 1);
        var fold = new int[sampleIds.Count];
        Array.Fill(fold, Test);
        var strata = Enumerable.Range(0, sampleIds.Count).Where(r => !isTest[r]).GroupBy(r => stratify ? targets[r] : 0).OrderBy(g => g.Key);
        int dealt = 0;
        foreach (var stratum in strata)
        {
            // The id breaks hash ties, so the order is total.
            foreach (int r in stratum.OrderBy(r => Hash(seed, sampleIds[r])).ThenBy(r => sampleIds[r], StringComparer.Ordinal))
            {
                fold[r] = dealt++ % folds;
            }
        }
        return fold;
    }

    private static ulong Hash(ulong seed, string sampleId) => XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{seed}:fold:{sampleId}"));
}
