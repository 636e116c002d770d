using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Engine.Hosting.Internal;

namespace GenoFlow.Engine.Hosting;

/// <summary>
/// What job commands run on without <c>--cluster</c>: the in-process executor, sized and rooted as an embedded node
/// would be (tile and sample-shard caches, scratch root and operations from cluster-config/genoflow.conf and the
/// settings). It gives the cluster's bytes by design and costs no cluster forming and leaving, which doubled a small
/// job's cost (QC of a 379 x 54,051 cohort, side by side: 0.71 s of CPU on an embedded single-node cluster, 0.35 s here).
/// </summary>
public static class InProcessNode
{
    public static InProcessExecutor Start(ClusterNodeSettings? settings = null)
    {
        NodeConfig node = NodeConfig.Resolve(settings ?? new ClusterNodeSettings());
        // Job areas whose coordinator died (a killed job) go before this job adds to the scratch root, as a node's start does.
        node.Roots.Scratch.CollectAbandoned();
        var cache = new TileCache(node.CacheBytes);
        return new InProcessExecutor(cache, node.Operations, shards: new SampleShardCache(node.ShardCacheBytes, cache), scratch: node.Roots.Scratch);
    }
}
