namespace GenoFlow.Engine.Entities;

/// <summary>
/// The requests this node's entities are running or have queued on the thread pool, by job, so that a job's
/// cancellation (<see cref="Jobs.JobCancellation"/>) reaches them: each request runs under its job's token and checks
/// it before loading a unit and before running the operation. One per node; thread-safe.
/// </summary>
public sealed class RunningRequests
{
    /// <summary>
    /// Cancelled job ids remembered, so that a request still in transit when its job is cancelled is dropped too. Jobs
    /// ids are unique (a GUID per pass), so an old id needs remembering only for the seconds a message can travel.
    /// </summary>
    public const int RememberedCancellations = 1024;

    private readonly Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _cancelled = new(StringComparer.Ordinal);
    private readonly Queue<string> _cancelledOrder = new();

    /// <summary>Requests stopped by a cancellation before they finished, since the node started.</summary>
    public long Stopped => Interlocked.Read(ref _stopped);

    private long _stopped;

    /// <summary>Registers a request of <paramref name="jobId"/>; dispose the lease when the request ends.</summary>
    public Lease Begin(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        lock (_jobs)
        {
            if (_cancelled.Contains(jobId))
            {
                return new Lease(this, jobId, new CancellationToken(canceled: true));
            }
            if (!_jobs.TryGetValue(jobId, out Job? job))
            {
                job = new Job();
                _jobs[jobId] = job;
            }
            job.Requests++;
            return new Lease(this, jobId, job.Cancellation.Token);
        }
    }

    /// <summary>Cancels every request of <paramref name="jobId"/>, present and arriving later; returns how many were registered.</summary>
    public int Cancel(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        Job? job;
        lock (_jobs)
        {
            if (_cancelled.Add(jobId))
            {
                _cancelledOrder.Enqueue(jobId);
                if (_cancelledOrder.Count > RememberedCancellations)
                {
                    _cancelled.Remove(_cancelledOrder.Dequeue());
                }
            }
            _jobs.Remove(jobId, out job);
        }
        if (job is null)
        {
            return 0;
        }
        job.Cancellation.Cancel();
        return job.Requests;
    }

    /// <summary>Requests registered now, over every job.</summary>
    public int Count
    {
        get
        {
            lock (_jobs)
            {
                return _jobs.Values.Sum(j => j.Requests);
            }
        }
    }

    internal void CountStopped() => Interlocked.Increment(ref _stopped);

    private void End(string jobId, CancellationToken token)
    {
        lock (_jobs)
        {
            // A cancelled job's entry is already gone (and its source with it): only a live one is counted down.
            if (_jobs.TryGetValue(jobId, out Job? job) && job.Cancellation.Token == token && --job.Requests == 0)
            {
                _jobs.Remove(jobId);
                job.Cancellation.Dispose();
            }
        }
    }

    /// <summary>One running request: its job's token; disposing it ends the request.</summary>
    public readonly struct Lease(RunningRequests owner, string jobId, CancellationToken token) : IDisposable
    {
        public CancellationToken Token => token;

        public void Dispose() => owner.End(jobId, token);
    }

    private sealed class Job
    {
        public CancellationTokenSource Cancellation { get; } = new();

        public int Requests { get; set; }
    }
}
