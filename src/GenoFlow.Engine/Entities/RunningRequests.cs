namespace GenoFlow.Engine.Entities;

/// <summary>
/// The requests this node's entities are running or have queued on the thread pool, by job, so that a job's
/// cancellation (<see cref="Jobs.JobCancellation"/>) reaches them: each request runs under its job's token, which the
/// operation runners check before loading a unit and before running the operation. One per node; thread-safe.
/// </summary>
public sealed class RunningRequests
{
    /// <summary>
    /// Cancelled job ids remembered, so that a request still in transit when its job is cancelled is dropped too. Job
    /// ids are unique (a GUID per pass), so an old id needs remembering only for the seconds a message can travel.
    /// </summary>
    public const int RememberedCancellations = 1024;

    private readonly Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _cancelled = new(StringComparer.Ordinal);
    private readonly Queue<string> _cancelledOrder = new();

    /// <summary>
    /// Raised (on the thread that ended the last one) when every request a cancelled job had on this node has ended:
    /// from then on the node does no more work for it.
    /// </summary>
    public event Action<Drained>? JobDrained;

    /// <summary>Registers a request of <paramref name="jobId"/>; end the lease when the request ends.</summary>
    public Lease Begin(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        lock (_jobs)
        {
            if (_cancelled.Contains(jobId))
            {
                return new Lease(this, jobId, null);
            }
            if (!_jobs.TryGetValue(jobId, out Job? job))
            {
                job = new Job();
                _jobs[jobId] = job;
            }
            job.Running++;
            return new Lease(this, jobId, job);
        }
    }

    /// <summary>
    /// Cancels every request of <paramref name="jobId"/>, present and arriving later; returns how many were running or
    /// queued. <see cref="JobDrained"/> follows when they have all ended (at once when there were none).
    /// </summary>
    public int Cancel(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        Job? job;
        int running;
        lock (_jobs)
        {
            if (!_cancelled.Add(jobId))
            {
                return 0;
            }
            _cancelledOrder.Enqueue(jobId);
            if (_cancelledOrder.Count > RememberedCancellations)
            {
                _cancelled.Remove(_cancelledOrder.Dequeue());
            }
            _jobs.TryGetValue(jobId, out job);
            running = job?.Running ?? 0;
            if (job is not null)
            {
                job.Cancelled = true;
                job.AtCancellation = running;
            }
        }
        job?.Cancellation.Cancel();
        if (running == 0)
        {
            // Nothing registered (entries go when their last request ends): nothing to wait for.
            JobDrained?.Invoke(new Drained(jobId, 0, 0));
        }
        return running;
    }

    private void End(string jobId, Job job, bool stopped)
    {
        Drained? drained = null;
        lock (_jobs)
        {
            job.Stopped += stopped ? 1 : 0;
            if (--job.Running == 0)
            {
                _jobs.Remove(jobId);
                if (job.Cancelled)
                {
                    drained = new Drained(jobId, job.AtCancellation, job.Stopped);
                }
            }
        }
        if (drained is not null)
        {
            JobDrained?.Invoke(drained);
        }
    }

    /// <summary>
    /// A cancelled job's requests on this node have all ended: <paramref name="AtCancellation"/> were running or queued
    /// when the cancellation came, and <paramref name="Stopped"/> of them stopped before they finished.
    /// </summary>
    public sealed record Drained(string JobId, int AtCancellation, int Stopped);

    /// <summary>One request: its job's token; <see cref="End"/> it exactly once.</summary>
    public sealed class Lease
    {
        private readonly RunningRequests _owner;
        private readonly string _jobId;
        private readonly Job? _job;

        internal Lease(RunningRequests owner, string jobId, Job? job)
        {
            _owner = owner;
            _jobId = jobId;
            _job = job;
        }

        /// <summary>Cancelled when the job is; already cancelled for a request that arrives after its job's cancellation.</summary>
        public CancellationToken Token => _job?.Cancellation.Token ?? new CancellationToken(canceled: true);

        /// <param name="stopped">The request stopped on the token instead of finishing.</param>
        public void End(bool stopped)
        {
            if (_job is not null)
            {
                _owner.End(_jobId, _job, stopped);
            }
        }
    }

    internal sealed class Job
    {
        public CancellationTokenSource Cancellation { get; } = new();

        public int Running { get; set; }

        public bool Cancelled { get; set; }

        public int AtCancellation { get; set; }

        public int Stopped { get; set; }
    }
}
