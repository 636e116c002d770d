namespace GenoFlow.Analysis.Execution;

/// <summary>
/// One scatter over sample shards: run <see cref="Operation"/> on shards 0 … <see cref="ShardCount"/> − 1 of a shard
/// set. <see cref="InputFor"/> gives a shard's input bytes when it is dispatched (and again on a retry).
/// </summary>
public sealed record SampleShardJob(ShardSetRef ShardSet, string Operation, int ShardCount, Func<int, ReadOnlyMemory<byte>> InputFor)
{
    /// <summary>A job whose shards all take the same input.</summary>
    public static SampleShardJob Uniform(ShardSetRef shardSet, string operation, int shardCount, ReadOnlyMemory<byte> input) =>
        new(shardSet, operation, shardCount, _ => input);
}
