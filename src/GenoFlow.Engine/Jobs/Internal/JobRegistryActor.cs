using Akka.Actor;

namespace GenoFlow.Engine.Jobs.Internal;

/// <summary>Answers <see cref="JobRegistry.ListJobs"/> with this process's running jobs.</summary>
internal sealed class JobRegistryActor : ReceiveActor
{
    public JobRegistryActor(RunningJobs jobs)
    {
        Receive<JobRegistry.ListJobs>(_ => Sender.Tell(new JobRegistry.JobsReport(jobs.Snapshot())));
    }
}
