using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using GenoFlow.Engine.Entities;

namespace GenoFlow.Engine.Jobs.Internal;

/// <summary>
/// State: requests pending by id (one per unit at a time: a retry is sent only once the previous attempt is given
/// up), partials that arrived ahead of their turn, and two cursors over the job's units (next to dispatch, next to hand
/// on). The collections are private to the actor and only touched from its message handlers.
/// </summary>
internal sealed class JobCoordinatorActor : ReceiveActor, IWithTimers
{
    private readonly JobCoordinator.Settings _settings;
    private readonly Dictionary<long, Pending> _pending = [];
    private readonly Dictionary<int, ReadOnlyMemory<byte>> _ahead = [];
    private JobCoordinator.Start _start = null!;
    private long _lastRequestId;
    private int _nextDispatch;
    private int _nextHandOn;

    public JobCoordinatorActor(JobCoordinator.Settings settings)
    {
        _settings = settings;
        WaitingForStart();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private JobPlan Plan => _start.Plan;

    protected override void PostStop()
    {
        // A no-op when the job already finished; otherwise the caller must not wait forever, and should learn why.
        string why = CoordinatedShutdown.Get(Context.System).ShutdownReason is CoordinatedShutdown.ClusterDowningReason
            ? "this process was downed by the cluster's split-brain resolver: it could not reach a majority of the worker nodes"
            : "is the node shutting down?";
        _start?.Output.TryComplete(new JobFailedException($"job {_start.JobId}: its coordinator stopped before the job finished ({why})"));
        base.PostStop();
    }

    private void WaitingForStart()
    {
        Receive<JobCoordinator.Start>(start =>
        {
            _start = start;
            Become(Running);
            DispatchMore();
            CompleteIfDone();
        });
        Receive<JobCoordinator.Cancel>(_ => Context.Stop(Self));
    }

    private void Running()
    {
        Receive<OperationCompleted>(OnCompleted);
        Receive<OperationFailed>(OnFailed);
        Receive<RequestTimedOut>(OnTimedOut);
        Receive<JobCoordinator.Cancel>(_ =>
        {
            _start.Output.TryComplete(new OperationCanceledException($"job {_start.JobId} was cancelled"));
            StopWorkers();
            Context.Stop(Self);
        });
    }

    private void OnCompleted(OperationCompleted reply)
    {
        _start.Statistics.ReplyReceived(reply.Partial.Length, reply.ScratchWritten, reply.ScratchRead);
        if (!TakePending(reply.RequestId, reply.JobId, out Pending pending))
        {
            return;
        }
        _start.Statistics.Computed(pending.Index, reply.Node);
        _ahead[pending.Index] = reply.Partial;
        HandOnInOrder();
        DispatchMore();
        CompleteIfDone();
    }

    private void OnFailed(OperationFailed reply)
    {
        if (!TakePending(reply.RequestId, reply.JobId, out Pending pending))
        {
            return;
        }
        if (reply.Permanent)
        {
            Fail(reply.Message);
            return;
        }
        Retry(pending, reply.Message);
    }

    private void OnTimedOut(RequestTimedOut timeout)
    {
        if (!_pending.Remove(timeout.RequestId, out Pending pending))
        {
            return;
        }
        _start.Statistics.RequestTimedOut();
        Retry(pending, $"no reply within {_settings.RequestTimeout.TotalSeconds:0.###} s (are the worker nodes up and reachable?)");
    }

    /// <summary>Removes the reply's request from the pending ones; false (and counted) for a late or duplicate reply.</summary>
    private bool TakePending(long requestId, string jobId, out Pending pending)
    {
        if (jobId != _start.JobId || !_pending.Remove(requestId, out pending))
        {
            _start.Statistics.ReplyIgnored();
            pending = default;
            return false;
        }
        Timers.Cancel(requestId);
        return true;
    }

    private void Retry(Pending pending, string reason)
    {
        if (pending.Attempt >= _settings.MaxAttempts)
        {
            Fail($"{Plan.Describe(pending.Index)} failed after {pending.Attempt} attempt(s); last: {reason}");
            return;
        }
        Send(pending.Index, pending.Attempt + 1);
    }

    private void DispatchMore()
    {
        while (_nextDispatch < Plan.Count && _nextDispatch - _nextHandOn < _settings.Window)
        {
            if (!Send(_nextDispatch++, attempt: 1))
            {
                return;
            }
        }
    }

    private bool Send(int index, int attempt)
    {
        ReadOnlyMemory<byte> input;
        try
        {
            input = Plan.InputFor(index);
        }
        catch (Exception e)
        {
            Fail($"{Plan.Describe(index)}: computing its input failed: {e.Message}");
            return false;
        }
        long requestId = ++_lastRequestId;
        _pending[requestId] = new Pending(index, attempt);
        Timers.StartSingleTimer(requestId, new RequestTimedOut(requestId), _settings.RequestTimeout);
        Plan.Region.Tell(Plan.Request(requestId, _start.JobId, index, input), Self);
        _start.Statistics.RequestSent(retry: attempt > 1, input.Length);
        return true;
    }

    private void HandOnInOrder()
    {
        while (_ahead.Remove(_nextHandOn, out ReadOnlyMemory<byte> partial))
        {
            bool written = _start.Output.TryWrite(new JobCoordinator.ReduciblePartial(_nextHandOn, partial));
            System.Diagnostics.Debug.Assert(written, "the output is unbounded and completed only by this actor");
            _nextHandOn++;
        }
    }

    private void CompleteIfDone()
    {
        if (_nextHandOn == Plan.Count)
        {
            _start.Output.TryComplete();
            Context.Stop(Self);
        }
    }

    private void Fail(string message)
    {
        _start.Output.TryComplete(new JobFailedException(message));
        Timers.CancelAll();
        StopWorkers();
        Context.Stop(Self);
    }

    /// <summary>
    /// Tells every worker that is up to stop this job's requests (<see cref="JobCancellation"/>): without it, what was
    /// dispatched would run to the end for nobody. Only when requests are pending; at most once per worker.
    /// </summary>
    private void StopWorkers()
    {
        // A coordinator outside a cluster (tests with a local actor system) has no workers to tell.
        if (_pending.Count == 0 || ((ExtendedActorSystem)Context.System).Provider is not IClusterActorRefProvider)
        {
            return;
        }
        var cancel = new JobCancellation.CancelJob(_start.JobId);
        Member[] workers = [.. Cluster.Get(Context.System).State.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(GenoFlowRoles.Worker))];
        foreach (Member worker in workers)
        {
            Context.ActorSelection(worker.Address + JobCancellation.Path).Tell(cancel, Self);
        }
        Context.GetLogger().Info("job {0} stopped: told {1} worker(s) to stop its {2} request(s) in flight", _start.JobId, workers.Length, _pending.Count);
        _pending.Clear();
    }

    private readonly record struct Pending(int Index, int Attempt);

    private sealed record RequestTimedOut(long RequestId) : INoSerializationVerificationNeeded;
}
