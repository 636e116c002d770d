using Akka.Actor;
using Akka.Event;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Entities;

namespace GenoFlow.Engine.Jobs.Internal;

internal sealed class JobCancellationActor : ReceiveActor
{
    public JobCancellationActor(RunningRequests requests)
    {
        ILoggingAdapter log = Context.GetLogger();
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
    }
}
