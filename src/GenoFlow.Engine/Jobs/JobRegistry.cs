using Akka.Actor;
using GenoFlow.Engine.Jobs.Internal;
using GenoFlow.Engine.Serialization;

namespace GenoFlow.Engine.Jobs;

/// <summary>
/// The actor on every coordinator (at <see cref="Path"/>) that tells <c>genoflow status</c> which jobs this process runs
/// and how far each has got. It only reads <see cref="RunningJobs"/>; nothing it receives changes a job.
/// </summary>
public static class JobRegistry
{
    /// <summary>Name under /user: status queries address it as ADDRESS/user/genoflow-jobs.</summary>
    public const string Name = "genoflow-jobs";

    public const string Path = "/user/" + Name;

    public static Props Create(RunningJobs jobs) => Props.Create(() => new JobRegistryActor(jobs));

    /// <summary>Asks for <see cref="JobsReport"/>.</summary>
    public sealed record ListJobs : IGenoFlowWireMessage
    {
        public static readonly ListJobs Instance = new();

        private ListJobs()
        {
        }
    }

    /// <summary>The jobs a coordinator runs now.</summary>
    public sealed record JobsReport(IReadOnlyList<RunningJobStatus> Jobs) : IGenoFlowWireMessage;
}
