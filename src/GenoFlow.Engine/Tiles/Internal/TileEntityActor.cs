using Akka.Actor;
using Akka.Cluster;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Entities;

namespace GenoFlow.Engine.Tiles.Internal;

internal sealed class TileEntityActor : ReceiveActor
{
    public TileEntityActor(TileEntity.Settings settings)
    {
        string node = Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<TileEntity.RunTileOperation>(run =>
        {
            // The load and the operation run on the thread pool. The dataset is resolved under this node's data roots
            // before anything is opened.
            EntityCompute.RunAndReply(settings.Requests, run.RequestId, run.JobId, node, $"tile {run.Tile} of {ScratchNames.Shorten(run.Dataset)} on {node}",
                cancellation => TileOperationRunner.Run(settings.Operations.Get(run.Operation), settings.Cache,
                    new DatasetRef(settings.Data.Resolve(run.Dataset), run.ManifestChecksum), run.Tile, run.Input.Span, cancellation),
                Sender, Self);
        });
    }
}
