using Akka.Actor;
using Akka.Cluster;
using GenoFlow.Engine.Entities;

namespace GenoFlow.Engine.Shards.Internal;

internal sealed class SampleShardEntityActor : ReceiveActor
{
    public SampleShardEntityActor(SampleShardEntity.Settings settings)
    {
        string node = Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<SampleShardEntity.RunShardOperation>(run =>
        {
            // As in the tile entity: compute on the thread pool, reply straight to the requester.
            Task.Run(() => EntityCompute.Reply(run.RequestId, run.JobId, node, $"sample shard {run.Shard} of {run.ShardSetPath} on {node}",
                    () => settings.Operations.GetShardOperation(run.Operation).Run(settings.Shards.Get(run.ShardSet, run.Shard), run.Input.Span)))
                .PipeTo(Sender, Self);
        });
    }
}
