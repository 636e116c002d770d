using System.Globalization;
using Akka.Actor;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Engine.Entities;
using GenoFlow.Engine.Serialization;
using GenoFlow.Engine.Shards.Internal;

namespace GenoFlow.Engine.Shards;

/// <summary>
/// The sharded entity of one sample shard (role "worker"): it runs sample-shard operations on the shard, loaded
/// through the node's <see cref="SampleShardCache"/>, off the actor thread, and replies to the requester
/// (<see cref="OperationCompleted"/> or <see cref="OperationFailed"/>). Like the tile entity it keeps no state of its
/// own: an iterative job visits the same entity every step, and the cache keeps the shard between visits.
/// </summary>
public static class SampleShardEntity
{
    /// <summary>Shard region type name; every node of a cluster uses the same one.</summary>
    public const string TypeName = "genoflow-sample-shard";

    public static Props Create(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Props.Create(() => new SampleShardEntityActor(settings));
    }

    /// <param name="Shards">The node's sample shard cache (one per actor system).</param>
    /// <param name="Operations">Operations this node can run, by wire name.</param>
    /// <param name="Scratch">Where this node finds the shard sets (in job scratch areas) that messages name.</param>
    /// <param name="Requests">This node's running requests, which a job's cancellation stops.</param>
    public sealed record Settings(SampleShardCache Shards, OperationRegistry Operations, ScratchRoot Scratch, RunningRequests Requests);

    /// <summary>
    /// Run <paramref name="Operation"/> on shard <paramref name="Shard"/> of a shard set version: directory
    /// <paramref name="ShardSet"/> in the scratch area of job <paramref name="ScratchJob"/> (names, never a path).
    /// Entity id <c>{manifestChecksum}/s{shard}</c>. Manifest "gf-shard-run".
    /// </summary>
    public sealed record RunShardOperation(
        long RequestId,
        string JobId,
        string ScratchJob,
        string ShardSet,
        string ManifestChecksum,
        int Shard,
        string Operation,
        ReadOnlyMemory<byte> Input) : IEntityMessage, IGenoFlowWireMessage
    {
        public string EntityId => string.Create(CultureInfo.InvariantCulture, $"{ManifestChecksum}/s{Shard}");
    }
}
