using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// An executor whose sample-shard operations run in this process (the in-process executor): a stage may hand it shards
/// built in memory instead of writing them to scratch as Parquet and reading them back. A cluster executor is not one:
/// its nodes load shards from the scratch store.
/// </summary>
public interface IInMemoryShardHost
{
    /// <summary>
    /// Holds <paramref name="set"/> until <see cref="Release"/>, so jobs on <see cref="InMemoryShardSet.Ref"/> find its
    /// shards; false (nothing held) when they would not fit the shard cache's budget: write the shards instead.
    /// </summary>
    bool TryHold(InMemoryShardSet set);

    void Release(InMemoryShardSet set);
}
