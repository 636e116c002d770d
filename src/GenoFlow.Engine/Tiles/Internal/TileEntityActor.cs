using Akka.Actor;
using Akka.Cluster;
using GenoFlow.Analysis.Execution;
using GenoFlow.Core;
using GenoFlow.Core.Storage;

namespace GenoFlow.Engine.Tiles.Internal;

internal sealed class TileEntityActor : ReceiveActor
{
    private readonly TileEntity.Settings _settings;
    private readonly string _node;

    public TileEntityActor(TileEntity.Settings settings)
    {
        _settings = settings;
        _node = Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<TileEntity.RunTileOperation>(Run);
    }

    private void Run(TileEntity.RunTileOperation run)
    {
        // The load and the operation run on the thread pool; the reply goes straight to the requester, so a reply is
        // not lost if the entity passivates meanwhile. Compute never throws: failures become TileOperationFailed.
        TileEntity.Settings settings = _settings;
        string node = _node;
        Task.Run(() => Compute(settings, node, run)).PipeTo(Sender, Self);
    }

    private static object Compute(TileEntity.Settings settings, string node, TileEntity.RunTileOperation run)
    {
        string where = $"tile {run.Tile} of {run.DatasetPath} on {node}";
        ITileOperation operation;
        try
        {
            operation = settings.Operations.Get(run.Operation);
        }
        catch (InvalidOperationException e)
        {
            return new TileEntity.TileOperationFailed(run.RequestId, run.JobId, $"{where}: {e.Message}", Permanent: true);
        }
        try
        {
            byte[] partial = TileOperationRunner.Run(operation, settings.Cache, run.Dataset, run.Tile, run.Input.Span);
            return new TileEntity.TileOperationCompleted(run.RequestId, run.JobId, run.Region, run.Block, partial, node);
        }
        catch (Exception e) when (e is GenoFlowFormatException or DatasetException)
        {
            return new TileEntity.TileOperationFailed(run.RequestId, run.JobId, $"{where}: {e.Message}", Permanent: true);
        }
        catch (Exception e)
        {
            // Anything else goes back to the coordinator, which decides between a retry and failing the job.
            return new TileEntity.TileOperationFailed(run.RequestId, run.JobId, $"{where}: {e.GetType().Name}: {e.Message}", Permanent: false);
        }
    }
}
