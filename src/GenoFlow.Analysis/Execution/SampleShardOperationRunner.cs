using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Execution;

/// <summary>How every executor runs one operation on one sample shard of its node's cache.</summary>
public static class SampleShardOperationRunner
{
    /// <param name="cancellation">The job's: checked before the shard is loaded and before the operation runs (as <see cref="TileOperationRunner"/>).</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public static byte[] Run(ISampleShardOperation operation, SampleShardCache shards, ShardSetRef set, int shard, ReadOnlySpan<byte> input, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(set);
        cancellation.ThrowIfCancellationRequested();
        SampleShard loaded = shards.Get(set, shard);
        cancellation.ThrowIfCancellationRequested();
        return operation.Run(loaded, input);
    }
}
