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
        { new OperationFailed(43, "job-7", "tile r12_b3 of /data: r000012_b0003.parquet: truncated", Permanent: true), "gf-fail" },
        { new OperationFailed(44, "job-7", "IOException: transient", Permanent: false), "gf-fail" },
        { new JobCancellation.CancelJob("0123456789abcdef0123456789abcdef"), "gf-cancel" },
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

    /// <summary>Field values, with byte payloads spelled out (records compare memory by reference).</summary>
    private static string Describe(object message) => message switch
    {
        TileEntity.RunTileOperation m => $"{m with { Input = default }} {Convert.ToHexString(m.Input.Span)}",
        SampleShardEntity.RunShardOperation m => $"{m with { Input = default }} {Convert.ToHexString(m.Input.Span)}",
        OperationCompleted m => $"{m with { Partial = default }} {Convert.ToHexString(m.Partial.Span)}",
        _ => message.ToString()!,
    };
}
