using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace GenoFlow.Engine.Serialization;

/// <summary>
/// Takes the place of an Akka serializer that builds objects of a type the sender names: Newtonsoft JSON with type
/// names (Akka's fallback for any type without a binding), the raw protobuf serializer (creates an instance of the
/// named type) and remote deployment (creates actors of the named type). Bound under the same identifiers, so a
/// message a peer sends with one of them is dropped, with one error line, instead of instantiating anything; and a
/// local message that would fall back to one fails at the sender. What the cluster accepts is GenoFlow's protobuf
/// messages (<see cref="GenoFlowSerializer"/>) and Akka's own system messages.
/// </summary>
public abstract class RefusedSerializer(ExtendedActorSystem system, string what) : Serializer(system)
{
    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) =>
        throw new SerializationException($"GenoFlow does not send {obj?.GetType().FullName ?? "null"} between nodes: {what} is disabled; only GenoFlow's protobuf messages and Akka's own are serialised");

    public override object FromBinary(byte[] bytes, Type type) =>
        throw new SerializationException($"refused a message from the network for serializer {Identifier} ({what}, disabled in GenoFlow); only GenoFlow's protobuf messages and Akka's own are accepted");
}

/// <summary>In place of Akka's NewtonSoftJsonSerializer (identifier 1, bound to System.Object).</summary>
public sealed class RefusedJsonSerializer(ExtendedActorSystem system) : RefusedSerializer(system, "JSON with type names")
{
    /// <summary>Akka passes the serializer's serialization-settings section when it has one (JSON does).</summary>
    public RefusedJsonSerializer(ExtendedActorSystem system, Akka.Configuration.Config settings) : this(system) => _ = settings;

    public override int Identifier => 1;
}

/// <summary>In place of Akka.Remote's ProtobufSerializer (identifier 2), which instantiates the type its manifest names.</summary>
public sealed class RefusedProtobufSerializer(ExtendedActorSystem system) : RefusedSerializer(system, "protobuf by type name")
{
    /// <summary>Akka passes the serializer's serialization-settings section when it has one (JSON does).</summary>
    public RefusedProtobufSerializer(ExtendedActorSystem system, Akka.Configuration.Config settings) : this(system) => _ = settings;

    public override int Identifier => 2;
}

/// <summary>In place of Akka.Remote's DaemonMsgCreateSerializer (identifier 3): no actor is ever deployed from another node.</summary>
public sealed class RefusedRemoteDeploySerializer(ExtendedActorSystem system) : RefusedSerializer(system, "remote deployment")
{
    /// <summary>Akka passes the serializer's serialization-settings section when it has one (JSON does).</summary>
    public RefusedRemoteDeploySerializer(ExtendedActorSystem system, Akka.Configuration.Config settings) : this(system) => _ = settings;

    public override int Identifier => 3;
}
