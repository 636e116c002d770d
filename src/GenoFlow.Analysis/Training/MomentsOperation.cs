using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// A shard's train-row moments for standardisation: counts per genotype code of every variant, and n, Σx, Σx² of every
/// extra feature over its non-missing values. Writes them as a piece (4V + 3C doubles).
/// </summary>
public sealed class MomentsOperation(ScratchRoot scratch) : ISampleShardOperation
{
    public const string OperationName = "train.moments/1";

    public string Name => OperationName;

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        var (step, store, features) = TrainingStep.Open(scratch, shard, input, scaled: false);
        store.Write<double>(step.Output, features.TrainMoments());
        return new TrainingPartial(features.TrainRows, 0).Encode();
    }
}
