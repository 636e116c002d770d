using Akka.Actor;
using Akka.Event;
using Akka.Remote;

namespace GenoFlow.Engine.Hosting.Internal;

/// <summary>
/// Stops this process when a peer tells it that it has been quarantined. A peer quarantines a member once the cluster
/// has downed and removed it, so a quarantined node can never talk to that peer again; but Akka.NET's cluster does not
/// act on the notice, and a node that was frozen (a paused VM) and resumes would otherwise go on with a stale view of
/// the cluster, in which its own split-brain resolver could down the healthy majority and keep itself up alone. Leaving
/// at once (coordinated shutdown for the cluster-downing reason) makes <c>genoflow node</c> exit non-zero, so that a
/// supervisor restarts it as a new member, and makes a job client's coordinator fail its job with the reason.
/// </summary>
internal sealed class QuarantineWatch : ReceiveActor
{
    public const string ActorName = "genoflow-quarantine-watch";

    public QuarantineWatch()
    {
        ILoggingAdapter log = Context.GetLogger();
        Receive<ThisActorSystemQuarantinedEvent>(notice =>
        {
            log.Error("this node was quarantined by {0}: the cluster removed it (downed while unreachable); shutting down so that it can be restarted as a new member", notice.RemoteAddress);
            CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClusterDowningReason.Instance);
        });
    }

    public static Props Create() => Props.Create(() => new QuarantineWatch());

    protected override void PreStart() => Context.System.EventStream.Subscribe<ThisActorSystemQuarantinedEvent>(Self);
}
