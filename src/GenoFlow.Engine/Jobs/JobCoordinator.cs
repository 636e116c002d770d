using System.Threading.Channels;
using Akka.Actor;
using GenoFlow.Engine.Jobs.Internal;

namespace GenoFlow.Engine.Jobs;

/// <summary>
/// Runs one job (a <see cref="JobPlan"/> over tiles or sample shards; role "coordinator"; one actor per job, in the
/// process that runs it). It scatters one request per unit to the unit's shard region, at most
/// <see cref="Settings.Window"/> units ahead of the reduction, and owns delivery: each request has a unique id and a
/// timeout, a unit is retried with a fresh id after a timeout or a transient failure up to
/// <see cref="Settings.MaxAttempts"/> attempts, replies to requests no longer pending are ignored. Partials are handed
/// on strictly in unit order (out-of-order ones wait in a buffer of at most the window).
/// </summary>
public static class JobCoordinator
{
    public static Props Create(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Window);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.MaxAttempts);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.RequestTimeout, TimeSpan.Zero);
        return Props.Create(() => new JobCoordinatorActor(settings));
    }

    /// <param name="RequestTimeout">How long to wait for one request's reply.</param>
    /// <param name="MaxAttempts">Attempts per unit, the first included.</param>
    /// <param name="Window">Units dispatched but not yet handed on in order, at most.</param>
    public sealed record Settings(TimeSpan RequestTimeout, int MaxAttempts, int Window);

    /// <summary>
    /// Starts the job. Partials are written to <paramref name="Output"/> in unit order; it is completed when the job is
    /// done, or completed with a <see cref="JobFailedException"/> (or <see cref="OperationCanceledException"/>) when it fails.
    /// Local only: it carries delegates.
    /// </summary>
    public sealed record Start(string JobId, JobPlan Plan, ChannelWriter<ReduciblePartial> Output, JobStatistics Statistics) : INoSerializationVerificationNeeded;

    /// <summary>Stops the job; its output completes with <see cref="OperationCanceledException"/>. Local only.</summary>
    public sealed record Cancel : INoSerializationVerificationNeeded
    {
        public static Cancel Instance { get; } = new();

        private Cancel()
        {
        }
    }

    /// <summary>Unit <paramref name="Index"/>'s partial, handed on in unit order.</summary>
    public readonly record struct ReduciblePartial(int Index, ReadOnlyMemory<byte> Partial);
}
