using Akka.Actor;
using Akka.Event;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Entities;

namespace GenoFlow.Engine.Jobs.Internal;

internal sealed class JobCancellationActor : ReceiveActor
{
    private readonly RunningRequests _requests;
    private readonly Action<RunningRequests.Drained> _onDrained;

    public JobCancellationActor(RunningRequests requests)
    {
        _requests = requests;
        ILoggingAdapter log = Context.GetLogger();
        // The event comes on a pool thread: it is logged from this actor's own turn.
        IActorRef self = Self;
        _onDrained = drained => self.Tell(drained);
        requests.JobDrained += _onDrained;
        Receive<JobCancellation.CancelJob>(cancel =>
        {
            // A job id from the network is only ever a dictionary key here; still, keep the log and memory small.
            if (!ScratchNames.IsValid(cancel.JobId))
            {
                log.Warning("refused a job cancellation from {0}: the job id '{1}' is not a plain name", Sender.Path.Address, ScratchNames.Shorten(cancel.JobId));
                return;
            }
            int stopping = requests.Cancel(cancel.JobId);
            log.Info("job {0} cancelled by its coordinator at {1}: {2} request(s) on this node stop", cancel.JobId, Sender.Path.Address, stopping);
        });
        Receive<RunningRequests.Drained>(drained =>
            log.Info("job {0} cancelled: no more work for it on this node ({1} request(s) were running or queued, {2} stopped before finishing)",
                drained.JobId, drained.AtCancellation, drained.Stopped));
    }

    protected override void PostStop()
    {
        _requests.JobDrained -= _onDrained;
        base.PostStop();
    }
}
