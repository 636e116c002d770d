using Akka.Actor;
using Akka.Cluster;
using GenoFlow.Analysis.Execution;
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
            // The shard set is resolved in the job's area under this node's scratch root before anything is opened.
            EntityCompute.RunAndReply(settings.Requests, run.RequestId, run.JobId, node, $"sample shard {run.Shard} of {ScratchNames.Shorten(run.ScratchJob)}/{ScratchNames.Shorten(run.ShardSet)} on {node}",
                cancellation => SampleShardOperationRunner.Run(settings.Operations.GetShardOperation(run.Operation), settings.Shards,
                    new ShardSetRef(settings.Scratch.Store(run.ScratchJob).DirectoryOf(run.ShardSet), run.ManifestChecksum), run.Shard, run.Input.Span, cancellation),
                Sender, Self);
        });
    }
}
