using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using GenoFlow.Analysis.Execution;
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
    internal const string ListJobsManifest = "gf-jobs?";
    internal const string JobsManifest = "gf-jobs";

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        TileEntity.RunTileOperation => RunManifest,
        SampleShardEntity.RunShardOperation => ShardRunManifest,
        OperationCompleted => DoneManifest,
        OperationFailed => FailManifest,
        JobCancellation.CancelJob => CancelManifest,
        JobRegistry.ListJobs => ListJobsManifest,
        JobRegistry.JobsReport => JobsManifest,
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
            ScratchWritten = m.ScratchWritten,
            ScratchRead = m.ScratchRead,
        }.ToByteArray(),
        OperationFailed m => new OperationFailedProto
        {
            RequestId = m.RequestId,
            JobId = m.JobId,
            Message = m.Message,
            Permanent = m.Permanent,
        }.ToByteArray(),
        JobCancellation.CancelJob m => new CancelJobProto { JobId = m.JobId }.ToByteArray(),
        JobRegistry.ListJobs => new ListJobsProto().ToByteArray(),
        JobRegistry.JobsReport m => JobsReportToProto(m).ToByteArray(),
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
                    if (p.ScratchWritten < 0 || p.ScratchRead < 0)
                    {
                        throw new SerializationException($"GenoFlowSerializer: reply to request {p.RequestId} of job {ScratchNames.Shorten(p.JobId)} claims negative scratch bytes");
                    }
                    return new OperationCompleted(p.RequestId, p.JobId, p.Partial.Memory, p.Node, p.ScratchWritten, p.ScratchRead);
                }
            case FailManifest:
                {
                    var p = OperationFailedProto.Parser.ParseFrom(bytes);
                    return new OperationFailed(p.RequestId, p.JobId, p.Message, p.Permanent);
                }
            case CancelManifest:
                return new JobCancellation.CancelJob(CancelJobProto.Parser.ParseFrom(bytes).JobId);
            case ListJobsManifest:
                ListJobsProto.Parser.ParseFrom(bytes);
                return JobRegistry.ListJobs.Instance;
            case JobsManifest:
                return JobsReportFromProto(JobsReportProto.Parser.ParseFrom(bytes));
            default:
                throw new SerializationException($"GenoFlowSerializer: unknown manifest '{manifest}' (is this node on an older GenoFlow version?)");
        }
    }

    private static JobsReportProto JobsReportToProto(JobRegistry.JobsReport report)
    {
        var proto = new JobsReportProto();
        proto.Jobs.AddRange(report.Jobs.Select(j => new RunningJobProto
        {
            JobId = j.JobId,
            Kind = j.Kind,
            Units = j.Units,
            Done = j.Done,
            Total = j.Total,
            StartedUnixMs = j.Started.ToUnixTimeMilliseconds(),
        }));
        return proto;
    }

    /// <summary>The report as a status query shows it; a start time out of range is refused like any malformed message.</summary>
    private static JobRegistry.JobsReport JobsReportFromProto(JobsReportProto proto)
    {
        var jobs = new List<RunningJobStatus>(proto.Jobs.Count);
        foreach (RunningJobProto j in proto.Jobs)
        {
            if (j.StartedUnixMs is < 0 or > 253402300799999 || j.Done < 0 || j.Total < 0)
            {
                throw new SerializationException($"GenoFlowSerializer: running job {ScratchNames.Shorten(j.JobId)} has a start time or unit count out of range");
            }
            jobs.Add(new RunningJobStatus(j.JobId, j.Kind, j.Units, j.Done, j.Total, DateTimeOffset.FromUnixTimeMilliseconds(j.StartedUnixMs)));
        }
        return new JobRegistry.JobsReport(jobs);
    }
}
