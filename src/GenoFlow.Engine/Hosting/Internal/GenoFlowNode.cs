using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Engine.Entities;
using GenoFlow.Engine.Jobs;
using GenoFlow.Engine.Security;
using GenoFlow.Engine.Serialization;
using GenoFlow.Engine.Shards;
using GenoFlow.Engine.Tiles;

namespace GenoFlow.Engine.Hosting.Internal;

/// <summary>What a GenoFlow node runs, as Akka.Hosting configuration.</summary>
internal static class GenoFlowNode
{
    public static void Configure(AkkaConfigurationBuilder builder, NodeConfig node, TileCache cache, SampleShardCache shards, ClusterTls? tls)
    {
        if (tls is not null)
        {
            // Certificate and peer check; enable-ssl itself is in node.Config.
            builder.AddSetup(tls.Setup());
        }
        builder
            .WithRemoting(new RemoteOptions { HostName = node.Host, Port = node.Port })
            .WithClustering(new ClusterOptions { Roles = [.. node.Roles], SeedNodes = [.. node.SeedAddresses] })
            .WithCustomSerializer(GenoFlowSerializer.Name, [typeof(IGenoFlowWireMessage)], system => new GenoFlowSerializer(system));
        builder.WithActors((system, _) => system.ActorOf(QuarantineWatch.Create(), QuarantineWatch.ActorName));
        // Both entity kinds live on workers, in two shard regions with the same shard count and hash.
        var extractor = new EntityMessageExtractor(node.ShardCount);
        if (node.IsWorker)
        {
            var options = new ShardOptions
            {
                Role = GenoFlowRoles.Worker,
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                PassivateIdleEntityAfter = node.PassivateIdleAfter,
            };
            // One registry of running requests per node: the cancellation actor stops a job's requests through it.
            var requests = new RunningRequests();
            builder.WithActors((system, _) => system.ActorOf(JobCancellation.Create(requests), JobCancellation.ActorName));
            var tile = new TileEntity.Settings(cache, node.Operations, node.Roots.Data, requests);
            builder.WithShardRegion<TileRegion>(TileEntity.TypeName, _ => TileEntity.Create(tile), extractor, options);
            var shard = new SampleShardEntity.Settings(shards, node.Operations, node.Roots.Scratch, requests);
            builder.WithShardRegion<SampleShardRegion>(SampleShardEntity.TypeName, _ => SampleShardEntity.Create(shard), extractor, options);
        }
        else
        {
            builder.WithShardRegionProxy<TileRegion>(TileEntity.TypeName, GenoFlowRoles.Worker, extractor);
            builder.WithShardRegionProxy<SampleShardRegion>(SampleShardEntity.TypeName, GenoFlowRoles.Worker, extractor);
        }
        // Last and on top: the node's effective configuration (genoflow.conf under the node's settings) wins over
        // anything the Akka.Hosting defaults above put in.
        builder.AddHocon(node.Config, HoconAddMode.Prepend);
    }
}
