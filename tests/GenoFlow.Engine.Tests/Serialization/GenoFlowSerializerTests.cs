using Akka.Serialization;
using GenoFlow.Engine.Entities;
using GenoFlow.Engine.Jobs;
using GenoFlow.Engine.Serialization;
using GenoFlow.Engine.Shards;
using GenoFlow.Engine.Tests.Support;
using GenoFlow.Engine.Tiles;

namespace GenoFlow.Engine.Tests.Serialization;

public sealed class GenoFlowSerializerTests : SerializingTestKit
{
    public static TheoryData<object, string> Messages => new()
    {
        { new TileEntity.RunTileOperation(long.MaxValue, "job-7", "cohorts/cohört", "00ff00ff00ff00ff", 12, 3, "qc.counts/1", new byte[] { 0, 1, 2, 255 }), "gf-run" },
        { new TileEntity.RunTileOperation(1, "j", "d", "c", 0, 0, "op/1", ReadOnlyMemory<byte>.Empty), "gf-run" },
        { new SampleShardEntity.RunShardOperation(9, "job-8", "0123456789abcdef0123456789abcdef", "shards", "0123456789abcdef", 17, "kmeans.step/1", new byte[] { 3, 2, 1 }), "gf-shard-run" },
        { new OperationCompleted(42, "job-7", Enumerable.Range(0, 150_000).Select(i => (byte)i).ToArray(), "akka.tcp://genoflow@10.0.0.5:4053"), "gf-done" },
        { new OperationCompleted(45, "job-7", new byte[] { 7 }, "akka.tcp://genoflow@10.0.0.6:4053", ScratchWritten: 5_000_000_000, ScratchRead: 123_456), "gf-done" },
        { new OperationFailed(43, "job-7", "tile r12_b3 of /data: r000012_b0003.parquet: truncated", Permanent: true), "gf-fail" },
        { new OperationFailed(44, "job-7", "IOException: transient", Permanent: false), "gf-fail" },
        { new JobCancellation.CancelJob("0123456789abcdef0123456789abcdef"), "gf-cancel" },
        { JobRegistry.ListJobs.Instance, "gf-jobs?" },
        { new JobRegistry.JobsReport([]), "gf-jobs" },
        {
            new JobRegistry.JobsReport([
                new RunningJobStatus("0123456789abcdef0123456789abcdef", "pca.product/1", "tiles", 1227, 3344, new DateTimeOffset(2026, 11, 30, 21, 44, 20, 123, TimeSpan.Zero)),
                new RunningJobStatus("job-9", "kmeans.step/1", "sample shards", 0, 12, DateTimeOffset.UnixEpoch),
            ]),
            "gf-jobs"
        },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_round_trips_through_the_bound_serializer_with_a_short_manifest(object message, string manifest)
    {
        Serializer serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<GenoFlowSerializer>(serializer);
        Assert.Equal(manifest, Akka.Serialization.Serialization.ManifestFor(serializer, message));

        byte[] bytes = serializer.ToBinary(message);
        object back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.Equal(Describe(message), Describe(back));
    }

    [Fact]
    public void An_unknown_manifest_is_refused_with_a_message_naming_it()
    {
        var serializer = (GenoFlowSerializer)Sys.Serialization.FindSerializerForType(typeof(OperationFailed));

        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "gf-zzz"));

        Assert.Contains("gf-zzz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jobs_report_with_a_start_time_out_of_range_is_refused()
    {
        var serializer = (GenoFlowSerializer)Sys.Serialization.FindSerializerForType(typeof(JobRegistry.JobsReport));
        var forged = new GenoFlow.Engine.Serialization.Proto.JobsReportProto();
        forged.Jobs.Add(new GenoFlow.Engine.Serialization.Proto.RunningJobProto { JobId = "j", Kind = "qc.counts/1", Units = "tiles", Done = 1, Total = 2, StartedUnixMs = long.MaxValue });

        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(Google.Protobuf.MessageExtensions.ToByteArray(forged), "gf-jobs"));

        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reply_claiming_negative_scratch_bytes_is_refused()
    {
        var serializer = (GenoFlowSerializer)Sys.Serialization.FindSerializerForType(typeof(OperationCompleted));
        var forged = new GenoFlow.Engine.Serialization.Proto.OperationCompletedProto { RequestId = 1, JobId = "j", Node = "n", ScratchWritten = 10, ScratchRead = -1 };

        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(Google.Protobuf.MessageExtensions.ToByteArray(forged), "gf-done"));

        Assert.Contains("negative scratch bytes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Field values, with byte payloads spelled out (records compare memory by reference).</summary>
    private static string Describe(object message) => message switch
    {
        TileEntity.RunTileOperation m => $"{m with { Input = default }} {Convert.ToHexString(m.Input.Span)}",
        SampleShardEntity.RunShardOperation m => $"{m with { Input = default }} {Convert.ToHexString(m.Input.Span)}",
        OperationCompleted m => $"{m with { Partial = default }} {Convert.ToHexString(m.Partial.Span)}",
        JobRegistry.JobsReport m => string.Join("; ", m.Jobs),
        _ => message.ToString()!,
    };
}
