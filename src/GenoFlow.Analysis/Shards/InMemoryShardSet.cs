using GenoFlow.Analysis.Execution;

namespace GenoFlow.Analysis.Shards;

/// <summary>
/// A sample shard set that exists only in this process's memory (<see cref="Tables.SampleTable.Shards"/>): the same
/// shards a <see cref="SampleShardSet"/> would load, for an executor that holds them (<see cref="IInMemoryShardHost"/>).
/// Its <see cref="Ref"/> names no file; nothing outside this process can resolve it.
/// </summary>
public sealed class InMemoryShardSet
{
    /// <summary>The checksum every in-memory set's reference carries, which no manifest's xxh3 (16 hex digits) can equal.</summary>
    public const string InMemoryChecksum = "in-memory";

    public InMemoryShardSet(string name, IReadOnlyList<string> columns, IReadOnlyList<SampleShard> shards)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(shards);
        Ref = new ShardSetRef(name, InMemoryChecksum);
        Columns = columns;
        Shards = shards;
    }

    public ShardSetRef Ref { get; }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<SampleShard> Shards { get; }

    public long SizeBytes => Shards.Sum(s => s.SizeBytes);
}
