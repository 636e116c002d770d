using Akka.Actor;
using GenoFlow.Analysis.Execution;
using GenoFlow.Engine.Tiles;

namespace GenoFlow.Engine.Jobs.Internal;

/// <summary>
/// State: requests pending by id (one per tile at a time: a retry is sent only once the previous attempt is given
/// up), partials that arrived ahead of their turn, and two cursors over the job's tiles (next to dispatch, next to hand
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

    private TileJob Job => _start.Job;

    protected override void PostStop()
    {
        // A no-op when the job already finished; otherwise the caller must not wait forever.
        _start?.Output.TryComplete(new TileJobException($"job {_start.JobId}: its coordinator stopped before the job finished (is the node shutting down?)"));
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
        Receive<TileEntity.TileOperationCompleted>(OnCompleted);
        Receive<TileEntity.TileOperationFailed>(OnFailed);
        Receive<RequestTimedOut>(OnTimedOut);
        Receive<JobCoordinator.Cancel>(_ =>
        {
            _start.Output.TryComplete(new OperationCanceledException($"job {_start.JobId} was cancelled"));
            Context.Stop(Self);
        });
    }

    private void OnCompleted(TileEntity.TileOperationCompleted reply)
    {
        if (!TakePending(reply.RequestId, reply.JobId, out Pending pending))
        {
            return;
        }
        TileId tile = Job.Tiles[pending.Index];
        Debug.Assert(reply.Tile == tile, "the entity answers for the tile it was asked about");
        _start.Statistics.Computed(tile, reply.Node);
        _ahead[pending.Index] = reply.Partial;
        HandOnInOrder();
        DispatchMore();
        CompleteIfDone();
    }

    private void OnFailed(TileEntity.TileOperationFailed reply)
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
            Fail($"tile {Job.Tiles[pending.Index]} of {Job.Dataset.Path} failed after {pending.Attempt} attempt(s); last: {reason}");
            return;
        }
        Send(pending.Index, pending.Attempt + 1);
    }

    private void DispatchMore()
    {
        while (_nextDispatch < Job.Tiles.Count && _nextDispatch - _nextHandOn < _settings.Window)
        {
            if (!Send(_nextDispatch++, attempt: 1))
            {
                return;
            }
        }
    }

    private bool Send(int index, int attempt)
    {
        TileId tile = Job.Tiles[index];
        ReadOnlyMemory<byte> input;
        try
        {
            input = Job.InputFor(tile);
        }
        catch (Exception e)
        {
            Fail($"tile {tile}: computing its input failed: {e.Message}");
            return false;
        }
        long requestId = ++_lastRequestId;
        _pending[requestId] = new Pending(index, attempt);
        Timers.StartSingleTimer(requestId, new RequestTimedOut(requestId), _settings.RequestTimeout);
        _settings.Tiles.Tell(new TileEntity.RunTileOperation(requestId, _start.JobId, Job.Dataset.Path, Job.Dataset.ManifestChecksum, tile.Region, tile.Block, Job.Operation, input), Self);
        _start.Statistics.RequestSent(retry: attempt > 1);
        return true;
    }

    private void HandOnInOrder()
    {
        while (_ahead.Remove(_nextHandOn, out ReadOnlyMemory<byte> partial))
        {
            bool written = _start.Output.TryWrite(new JobCoordinator.ReducibleTile(Job.Tiles[_nextHandOn], partial));
            Debug.Assert(written, "the output is unbounded and completed only by this actor");
            _nextHandOn++;
        }
    }

    private void CompleteIfDone()
    {
        if (_nextHandOn == Job.Tiles.Count)
        {
            _start.Output.TryComplete();
            Context.Stop(Self);
        }
    }

    private void Fail(string message)
    {
        _start.Output.TryComplete(new TileJobException(message));
        Timers.CancelAll();
        Context.Stop(Self);
    }

    private readonly record struct Pending(int Index, int Attempt);

    private sealed record RequestTimedOut(long RequestId) : INoSerializationVerificationNeeded;
}
