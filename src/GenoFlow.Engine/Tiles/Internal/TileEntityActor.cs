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
            Task.Run(() => EntityCompute.Reply(run.RequestId, run.JobId, node, $"tile {run.Tile} of {run.DatasetPath} on {node}",
                    () => TileOperationRunner.Run(settings.Operations.Get(run.Operation), settings.Cache, run.Dataset, run.Tile, run.Input.Span)))
                .PipeTo(Sender, Self);
        });
    }
}
