using System.Threading.Channels;
using Akka.Actor;
using GenoFlow.Engine.Hosting;
using GenoFlow.Engine.Tests.Support;

namespace GenoFlow.Engine.Tests.Serialization;

/// <summary>
/// A probe with Akka's stock configuration (Newtonsoft JSON with type names for any object) sends a node an object
/// of its choosing over real TCP: the node must not build it, and must still take the messages it accepts.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class UntrustedMessageTests
{
    [Fact]
    public async Task A_node_never_instantiates_an_object_a_peer_sends_through_the_json_fallback()
    {
        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(TestOperations.Registry(), serializeMessages: false));
        var received = Channel.CreateUnbounded<object>();
        node.System.ActorOf(Props.Create(() => new Recorder(received.Writer)), "probe-target");
        using ActorSystem probe = ActorSystem.Create("probe", """
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.loglevel = ERROR
            """);
        ActorSelection target = probe.ActorSelection($"{node.Address}/user/probe-target");
        int builtBefore = Gadget.Instances;

        target.Tell(new Gadget { Payload = "rm -rf /" });
        // Messages on one association arrive in order: once this string is in, the gadget has been dealt with.
        target.Tell("after the gadget");

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        object first = await received.Reader.ReadAsync(deadline.Token);
        Assert.Equal("after the gadget", first);
        // One Gadget was built, by the probe itself; the node built none.
        Assert.Equal(builtBefore + 1, Gadget.Instances);
        Assert.False(received.Reader.TryRead(out object? more), $"the node received {more}");
    }

    [Fact]
    public async Task Every_serializer_that_builds_a_type_the_sender_names_is_refused_on_a_node()
    {
        await using IClusterSession node = await ClusterSession.StartEmbeddedAsync(TestCluster.Settings(TestOperations.Registry(), serializeMessages: false));
        Akka.Serialization.Serialization serialization = node.System.Serialization;

        // 1: Newtonsoft JSON (System.Object fallback), 2: protobuf by type name, 3: remote deployment.
        foreach (int id in new[] { 1, 2, 3 })
        {
            var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serialization.Deserialize([1, 2, 3], id, typeof(Gadget).AssemblyQualifiedName));
            Assert.Contains("refused a message from the network", error.Message, StringComparison.Ordinal);
        }
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serialization.FindSerializerFor(new Gadget()).ToBinary(new Gadget()));
    }

    /// <summary>A type any process with GenoFlow's assemblies could load; counts every instance built.</summary>
    public sealed class Gadget
    {
        private static int s_instances;

        public Gadget() => Interlocked.Increment(ref s_instances);

        public static int Instances => Volatile.Read(ref s_instances);

        public string Payload { get; set; } = "";
    }

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(ChannelWriter<object> received) => ReceiveAny(m => received.TryWrite(m));
    }
}
