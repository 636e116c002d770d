using Akka.Actor;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Entities;
using GenoFlow.Engine.Serialization;
using GenoFlow.Engine.Storage;
using GenoFlow.Engine.Tiles.Internal;

namespace GenoFlow.Engine.Tiles;

/// <summary>
/// The sharded entity of one tile (role "worker"). It runs tile operations on the tile, read through the node's shared
/// <see cref="TileCache"/>, off the actor thread, and replies to the requester (<see cref="OperationCompleted"/> or <see cref="OperationFailed"/>). It keeps no state: it passivates when
/// idle and the cache keeps the bytes.
/// </summary>
public static class TileEntity
{
    /// <summary>Shard region type name; every node of a cluster uses the same one.</summary>
    public const string TypeName = "genoflow-tile";

    public static Props Create(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Props.Create(() => new TileEntityActor(settings));
    }

    /// <param name="Cache">The node's tile cache (one per actor system).</param>
    /// <param name="Operations">Tile operations this node can run, by wire name.</param>
    /// <param name="Data">Where this node opens the datasets that messages name.</param>
    /// <param name="Requests">This node's running requests, which a job's cancellation stops.</param>
    public sealed record Settings(TileCache Cache, OperationRegistry Operations, DataRoots Data, RunningRequests Requests);

    /// <summary>
    /// Run <paramref name="Operation"/> on tile (<paramref name="Region"/>, <paramref name="Block"/>) of a dataset
    /// version. <paramref name="Dataset"/> is the dataset's path relative to a data root (<see cref="DataRoots"/>),
    /// never an absolute path. Manifest "gf-run".
    /// </summary>
    public sealed record RunTileOperation(
        long RequestId,
        string JobId,
        string Dataset,
        string ManifestChecksum,
        int Region,
        int Block,
        string Operation,
        ReadOnlyMemory<byte> Input) : IEntityMessage, IGenoFlowWireMessage
    {
        public string EntityId => TileEntityId.Format(ManifestChecksum, Tile);

        public TileId Tile => new(Region, Block);
    }
}
