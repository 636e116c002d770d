using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// A shard's test rows' margins split by feature group, for permutation importance: the parameters piece holds θ
/// (p + 1) then each feature's group index (p), G = max + 1 groups; the output piece holds G contributions per test
/// row, in row order. The partial's row count is the shard's test rows.
/// </summary>
public sealed class ContributionsOperation(ScratchRoot scratch) : ISampleShardOperation
{
    public const string OperationName = "train.contributions/1";

    public string Name => OperationName;

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        var (step, store, features) = TrainingStep.Open(scratch, shard, input);
        double[] piece = store.Read<double>(step.Parameters);
        int p = features.Parameters;
        if (piece.Length != 2 * p + 1)
        {
            throw new InvalidDataException($"contributions piece holds {piece.Length} values; shard {shard.Index} has {p} features (needs θ and a group per feature)");
        }
        ReadOnlySpan<double> theta = piece.AsSpan(0, p + 1), group = piece.AsSpan(p + 1, p);
        int groups = p == 0 ? 0 : (int)group.ToArray().Max() + 1;
        var rows = new List<int>();
        for (int r = 0; r < features.Rows; r++)
        {
            if (features.IsTest(r))
            {
                rows.Add(r);
            }
        }
        var contributions = new double[rows.Count * groups];
        for (int i = 0; i < rows.Count; i++)
        {
            features.AddContributions(rows[i], theta, group, contributions.AsSpan(i * groups, groups));
        }
        store.Write<double>(step.Output, contributions);
        return new TrainingPartial(rows.Count, 0).Encode();
    }
}
