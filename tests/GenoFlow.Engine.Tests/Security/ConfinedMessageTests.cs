using System.Threading.Channels;
using Akka.Actor;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Engine.Entities;
using GenoFlow.Engine.Hosting;
using GenoFlow.Engine.Shards;
using GenoFlow.Engine.Tests.Support;
using GenoFlow.Engine.Tiles;

namespace GenoFlow.Engine.Tests.Security;

/// <summary>
/// A probe outside the cluster speaks GenoFlow's wire format to a node's shard regions over real TCP and names files
/// outside the node's roots: every such request is refused with a permanent failure before anything is opened, and a
/// request that stays inside the roots still works (so the refusals are not an accident of the probe).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ConfinedMessageTests : IDisposable
{
    private readonly TestDataset _inside = new();
    private readonly TestDataset _outside = new();

    public void Dispose()
    {
        _inside.Dispose();
        _outside.Dispose();
    }

    [Fact]
    public async Task Tile_requests_naming_a_dataset_outside_the_data_roots_are_refused_and_read_nothing()
    {
        string root = Path.GetDirectoryName(_inside.Path)!;
        string relativeOutside = Path.GetRelativePath(root, _outside.Path);
        Assert.StartsWith("../", relativeOutside, StringComparison.Ordinal);
        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(TestOperations.Registry(), serializeMessages: false) with { DataRoots = [root] });
        using var probe = new Probe(node);
        string checksum = _outside.Reference.ManifestChecksum;
        string[] hostile = [relativeOutside, _outside.Path, "dataset/../" + relativeOutside, "./dataset", "dataset//", "data\\set", new string('a', 2000)];

        for (int i = 0; i < hostile.Length; i++)
        {
            probe.SendTile(new TileEntity.RunTileOperation(i, "probe", hostile[i], checksum, 0, 0, VariantCountsOperation.WireName, ReadOnlyMemory<byte>.Empty));
        }
        object[] refusals = await probe.ReceiveAsync(hostile.Length);
        long loadsAfterRefusals = node.Cache.Loads;
        probe.SendTile(new TileEntity.RunTileOperation(99, "probe", "dataset", _inside.Reference.ManifestChecksum, 0, 0, VariantCountsOperation.WireName, ReadOnlyMemory<byte>.Empty));
        object inside = (await probe.ReceiveAsync(1))[0];

        foreach (object reply in refusals)
        {
            OperationFailed failed = Assert.IsType<OperationFailed>(reply);
            Assert.True(failed.Permanent, failed.Message);
            Assert.Contains("refused dataset path", failed.Message, StringComparison.Ordinal);
        }
        Assert.Equal(0, loadsAfterRefusals);
        Assert.IsType<OperationCompleted>(inside);
        Assert.Equal(1, node.Cache.Loads);
    }

    [Fact]
    public async Task Shard_requests_naming_a_shard_set_outside_the_scratch_root_are_refused()
    {
        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(TestOperations.Registry(), serializeMessages: false));
        using var probe = new Probe(node);
        SampleShardSet set = _inside.ShardSet();
        var (job, name) = TestCluster.Scratch.Locate(set.Path);
        (string Job, string Set)[] hostile = [("../../etc", "shards"), ("/tmp", "shards"), (job, "../../" + job + "/shards"), (job, "/etc"), ("..", "..")];

        for (int i = 0; i < hostile.Length; i++)
        {
            probe.SendShard(new SampleShardEntity.RunShardOperation(i, "probe", hostile[i].Job, hostile[i].Set, set.ManifestChecksum, 0, ShardDigestOperation.WireName, ReadOnlyMemory<byte>.Empty));
        }
        object[] refusals = await probe.ReceiveAsync(hostile.Length);
        probe.SendShard(new SampleShardEntity.RunShardOperation(99, "probe", job, name, set.ManifestChecksum, 0, ShardDigestOperation.WireName, ReadOnlyMemory<byte>.Empty));
        object inside = (await probe.ReceiveAsync(1))[0];

        foreach (object reply in refusals)
        {
            OperationFailed failed = Assert.IsType<OperationFailed>(reply);
            Assert.True(failed.Permanent, failed.Message);
            Assert.Contains("refused scratch", failed.Message, StringComparison.Ordinal);
        }
        Assert.IsType<OperationCompleted>(inside);
    }

    /// <summary>A plain remote actor system (not a cluster member) with GenoFlow's serializer, sending to a node's shard regions.</summary>
    private sealed class Probe : IDisposable
    {
        private readonly ActorSystem _system;
        private readonly IActorRef _recorder;
        private readonly Channel<object> _replies = Channel.CreateUnbounded<object>();
        private readonly string _node;

        public Probe(IClusterSession node)
        {
            _node = node.Address;
            _system = ActorSystem.Create("probe", """
                akka.actor.provider = remote
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                akka.loglevel = ERROR
                akka.actor.serializers.genoflow = "GenoFlow.Engine.Serialization.GenoFlowSerializer, GenoFlow.Engine"
                akka.actor.serialization-bindings { "GenoFlow.Engine.Serialization.IGenoFlowWireMessage, GenoFlow.Engine" = genoflow }
                """);
            ChannelWriter<object> writer = _replies.Writer;
            _recorder = _system.ActorOf(Props.Create(() => new Recorder(writer)), "recorder");
        }

        public void SendTile(TileEntity.RunTileOperation run) => _system.ActorSelection($"{_node}/system/sharding/{TileEntity.TypeName}").Tell(run, _recorder);

        public void SendShard(SampleShardEntity.RunShardOperation run) => _system.ActorSelection($"{_node}/system/sharding/{SampleShardEntity.TypeName}").Tell(run, _recorder);

        public async Task<object[]> ReceiveAsync(int count)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var replies = new List<object>();
            try
            {
                while (replies.Count < count)
                {
                    replies.Add(await _replies.Reader.ReadAsync(deadline.Token));
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"expected {count} replies within 30 s, got {replies.Count}: {string.Join("; ", replies)}");
            }
            return [.. replies];
        }

        public void Dispose() => _system.Dispose();
    }

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(ChannelWriter<object> replies) => ReceiveAny(m => replies.TryWrite(m));
    }
}
