using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// A computation on one sample shard: small input bytes in, small partial-result bytes out, run on the node that hosts
/// the shard. Like <see cref="ITileOperation"/> it must be a pure function of (shard, input) so that retries and
/// duplicate deliveries are harmless; randomness comes from a seed in the input.
/// </summary>
public interface ISampleShardOperation
{
    /// <summary>Stable wire name with a version, e.g. <c>kmeans.step/1</c>.</summary>
    string Name { get; }

    byte[] Run(SampleShard shard, ReadOnlySpan<byte> input);
}
