using System.Collections.Frozen;

namespace GenoFlow.Analysis.Execution;

/// <summary>Finds tile operations by wire name on whichever node runs them.</summary>
public sealed class TileOperationRegistry
{
    private readonly FrozenDictionary<string, ITileOperation> _operations;

    public TileOperationRegistry(IEnumerable<ITileOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        _operations = operations.ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);
    }

    /// <summary>Every operation GenoFlow.Analysis defines.</summary>
    public static TileOperationRegistry Default { get; } = new(TileOperations.All);

    public ITileOperation Get(string name) =>
        _operations.TryGetValue(name, out ITileOperation? operation)
            ? operation
            : throw new InvalidOperationException($"unknown tile operation '{name}' (this node knows: {string.Join(", ", _operations.Keys.Order(StringComparer.Ordinal))}); are all nodes on the same GenoFlow version?");
}
