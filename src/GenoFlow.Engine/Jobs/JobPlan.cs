using Akka.Actor;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Shards;
using GenoFlow.Engine.Storage;
using GenoFlow.Engine.Tiles;

namespace GenoFlow.Engine.Jobs;

/// <summary>
/// What a <see cref="JobCoordinator"/> scatters, whatever the kind of unit: <see cref="Count"/> units (tiles or sample
/// shards), each sent as the request <see cref="Request"/> builds to <see cref="Region"/>. Local only: it carries delegates.
/// </summary>
/// <param name="Operation">The operation every unit runs, e.g. "qc.counts" (what <c>genoflow status</c> shows as the job's kind).</param>
/// <param name="Region">The shard region (or proxy) hosting the units' entities.</param>
/// <param name="Describe">Names unit i in error messages, e.g. "tile r3_b0 of /data/cohort".</param>
/// <param name="InputFor">Unit i's input bytes, computed when it is dispatched (and again on a retry).</param>
/// <param name="Request">The entity message for (request id, job id, unit i, input).</param>
public sealed record JobPlan(
    string Operation,
    IActorRef Region,
    int Count,
    Func<int, string> Describe,
    Func<int, ReadOnlyMemory<byte>> InputFor,
    Func<long, string, int, ReadOnlyMemory<byte>, object> Request)
{
    /// <param name="data">This node's data roots: the message names the dataset relative to one of them.</param>
    /// <exception cref="ConfinementException">The dataset is under none of <paramref name="data"/>.</exception>
    public static JobPlan ForTiles(TileJob job, IActorRef tiles, DataRoots data)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(data);
        string dataset = data.RelativePathOf(job.Dataset.Path);
        return new JobPlan(job.Operation, tiles, job.Tiles.Count,
            i => $"tile {job.Tiles[i]} of {job.Dataset.Path}",
            i => job.InputFor(job.Tiles[i]),
            (requestId, jobId, i, input) => new TileEntity.RunTileOperation(requestId, jobId, dataset, job.Dataset.ManifestChecksum, job.Tiles[i].Region, job.Tiles[i].Block, job.Operation, input));
    }

    /// <param name="scratch">This node's scratch root: the message names the shard set by its job area and name in it.</param>
    /// <exception cref="ConfinementException">The shard set is not directly in a job area of <paramref name="scratch"/>.</exception>
    public static JobPlan ForShards(SampleShardJob job, IActorRef shards, ScratchRoot scratch)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(scratch);
        var (scratchJob, shardSet) = scratch.Locate(job.ShardSet.Path);
        return new JobPlan(job.Operation, shards, job.ShardCount,
            i => $"sample shard {i} of {job.ShardSet.Path}",
            job.InputFor,
            (requestId, jobId, i, input) => new SampleShardEntity.RunShardOperation(requestId, jobId, scratchJob, shardSet, job.ShardSet.ManifestChecksum, i, job.Operation, input));
    }
}
