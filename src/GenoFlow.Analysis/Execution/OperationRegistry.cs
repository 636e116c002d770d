using System.Collections.Frozen;

namespace GenoFlow.Analysis.Execution;

/// <summary>Finds tile and sample-shard operations by wire name on whichever node runs them.</summary>
public sealed class OperationRegistry
{
    private readonly FrozenDictionary<string, ITileOperation> _tileOperations;
    private readonly FrozenDictionary<string, ISampleShardOperation> _shardOperations;

    public OperationRegistry(IEnumerable<ITileOperation> tileOperations, IEnumerable<ISampleShardOperation>? shardOperations = null)
    {
        ArgumentNullException.ThrowIfNull(tileOperations);
        _tileOperations = tileOperations.ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);
        _shardOperations = (shardOperations ?? []).ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);
    }

    /// <summary>Every operation GenoFlow.Analysis defines, resolving scratch job ids under <paramref name="scratch"/>.</summary>
    public static OperationRegistry For(ScratchRoot scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        return new(KnownOperations.Tile(scratch), KnownOperations.SampleShard(scratch));
    }

    public ITileOperation Get(string name) => Find(_tileOperations, name, "tile");

    public ISampleShardOperation GetShardOperation(string name) => Find(_shardOperations, name, "sample-shard");

    private static T Find<T>(FrozenDictionary<string, T> operations, string name, string kind) =>
        operations.TryGetValue(name, out T? operation)
            ? operation
            : throw new UnknownOperationException($"unknown {kind} operation '{name}' (this node knows: {string.Join(", ", operations.Keys.Order(StringComparer.Ordinal))}); are all nodes on the same GenoFlow version?");
}
