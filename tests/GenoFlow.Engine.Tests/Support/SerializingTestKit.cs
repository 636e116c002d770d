using Akka.TestKit.Xunit2;

namespace GenoFlow.Engine.Tests.Support;

/// <summary>An actor system (no cluster) that checks every local message through its serializer, GenoFlow's bound as on a node.</summary>
public abstract class SerializingTestKit() : TestKit("""
    akka.loglevel = WARNING
    akka.actor.serialize-messages = on
    akka.actor.serializers.genoflow = "GenoFlow.Engine.Serialization.GenoFlowSerializer, GenoFlow.Engine"
    akka.actor.serialization-bindings { "GenoFlow.Engine.Serialization.IGenoFlowWireMessage, GenoFlow.Engine" = genoflow }
    """);
