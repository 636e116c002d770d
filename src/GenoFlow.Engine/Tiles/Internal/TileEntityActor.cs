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
            // The load and the operation run on the thread pool; the reply goes straight to the requester, so a reply
            // is not lost if the entity passivates meanwhile.
            // The dataset is resolved under this node's data roots before anything is opened.
            Task.Run(() => EntityCompute.Reply(run.RequestId, run.JobId, node, $"tile {run.Tile} of {ScratchNames.Shorten(run.Dataset)} on {node}",
                    () => TileOperationRunner.Run(settings.Operations.Get(run.Operation), settings.Cache,
                        new DatasetRef(settings.Data.Resolve(run.Dataset), run.ManifestChecksum), run.Tile, run.Input.Span)))
                .PipeTo(Sender, Self);
        });
    }
}
