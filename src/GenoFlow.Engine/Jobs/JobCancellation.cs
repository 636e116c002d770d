using Akka.Actor;
using GenoFlow.Engine.Entities;
using GenoFlow.Engine.Jobs.Internal;
using GenoFlow.Engine.Serialization;

namespace GenoFlow.Engine.Jobs;

/// <summary>
/// The actor on every worker (at <see cref="Path"/>) that stops a job's requests on that node when the job's
/// coordinator says the job was cancelled or failed: requests queued on the thread pool are dropped, running ones stop
/// at their next check (<see cref="RunningRequests"/>). Delivery is at most once, like every Akka message: a worker that
/// misses it finishes the job's few requests in flight (at most the coordinator's window) and its replies are ignored.
/// </summary>
public static class JobCancellation
{
    /// <summary>Name of the actor under /user on every worker node.</summary>
    public const string ActorName = "genoflow-job-cancellation";

    /// <summary>Actor path of the cancellation actor, under a member's address.</summary>
    public const string Path = "/user/" + ActorName;

    public static Props Create(RunningRequests requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return Props.Create(() => new JobCancellationActor(requests));
    }

    /// <summary>Stop job <paramref name="JobId"/>'s requests on this node. Manifest "gf-cancel".</summary>
    public sealed record CancelJob(string JobId) : IGenoFlowWireMessage;
}
