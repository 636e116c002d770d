using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using GenoFlow.Engine.Entities;
using GenoFlow.Engine.Jobs;
using GenoFlow.Engine.Serialization.Proto;
using GenoFlow.Engine.Shards;
using GenoFlow.Engine.Tiles;
using Google.Protobuf;

namespace GenoFlow.Engine.Serialization;

/// <summary>
/// Protobuf wire format (Protos/genoflow_engine.proto) of every <see cref="IGenoFlowWireMessage"/>, with short stable
/// manifests. Byte payloads are carried as protobuf bytes without copying on the way out.
/// </summary>
public sealed class GenoFlowSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Serializer id; unique among the serializers of the actor system, never to be changed.</summary>
    public const int SerializerId = 4711;

    /// <summary>Name under which the serializer is registered in akka.actor.serializers.</summary>
    public const string Name = "genoflow";

    internal const string RunManifest = "gf-run";
    internal const string ShardRunManifest = "gf-shard-run";
    internal const string DoneManifest = "gf-done";
    internal const string FailManifest = "gf-fail";
    internal const string CancelManifest = "gf-cancel";

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        TileEntity.RunTileOperation => RunManifest,
        SampleShardEntity.RunShardOperation => ShardRunManifest,
        OperationCompleted => DoneManifest,
        OperationFailed => FailManifest,
        JobCancellation.CancelJob => CancelManifest,
        _ => throw new ArgumentException($"GenoFlowSerializer cannot serialize {o?.GetType().FullName ?? "null"}", nameof(o)),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        TileEntity.RunTileOperation m => new RunTileOperationProto
        {
            RequestId = m.RequestId,
            JobId = m.JobId,
            Dataset = m.Dataset,
            ManifestChecksum = m.ManifestChecksum,
            Region = m.Region,
            Block = m.Block,
            Operation = m.Operation,
            Input = UnsafeByteOperations.UnsafeWrap(m.Input),
        }.ToByteArray(),
        SampleShardEntity.RunShardOperation m => new RunShardOperationProto
        {
            RequestId = m.RequestId,
            JobId = m.JobId,
            ScratchJob = m.ScratchJob,
            ShardSet = m.ShardSet,
            ManifestChecksum = m.ManifestChecksum,
            Shard = m.Shard,
            Operation = m.Operation,
            Input = UnsafeByteOperations.UnsafeWrap(m.Input),
        }.ToByteArray(),
        OperationCompleted m => new OperationCompletedProto
        {
            RequestId = m.RequestId,
            JobId = m.JobId,
            Partial = UnsafeByteOperations.UnsafeWrap(m.Partial),
            Node = m.Node,
        }.ToByteArray(),
        OperationFailed m => new OperationFailedProto
        {
            RequestId = m.RequestId,
            JobId = m.JobId,
            Message = m.Message,
            Permanent = m.Permanent,
        }.ToByteArray(),
        JobCancellation.CancelJob m => new CancelJobProto { JobId = m.JobId }.ToByteArray(),
        _ => throw new ArgumentException($"GenoFlowSerializer cannot serialize {obj?.GetType().FullName ?? "null"}", nameof(obj)),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        switch (manifest)
        {
            case RunManifest:
                {
                    var p = RunTileOperationProto.Parser.ParseFrom(bytes);
                    return new TileEntity.RunTileOperation(p.RequestId, p.JobId, p.Dataset, p.ManifestChecksum, p.Region, p.Block, p.Operation, p.Input.Memory);
                }
            case ShardRunManifest:
                {
                    var p = RunShardOperationProto.Parser.ParseFrom(bytes);
                    return new SampleShardEntity.RunShardOperation(p.RequestId, p.JobId, p.ScratchJob, p.ShardSet, p.ManifestChecksum, p.Shard, p.Operation, p.Input.Memory);
                }
            case DoneManifest:
                {
                    var p = OperationCompletedProto.Parser.ParseFrom(bytes);
                    return new OperationCompleted(p.RequestId, p.JobId, p.Partial.Memory, p.Node);
                }
            case FailManifest:
                {
                    var p = OperationFailedProto.Parser.ParseFrom(bytes);
                    return new OperationFailed(p.RequestId, p.JobId, p.Message, p.Permanent);
                }
            case CancelManifest:
                return new JobCancellation.CancelJob(CancelJobProto.Parser.ParseFrom(bytes).JobId);
            default:
                throw new SerializationException($"GenoFlowSerializer: unknown manifest '{manifest}' (is this node on an older GenoFlow version?)");
        }
    }
}
