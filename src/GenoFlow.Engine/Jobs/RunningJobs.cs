using System.Collections.Concurrent;

namespace GenoFlow.Engine.Jobs;

/// <summary>
/// The jobs (scatters) this process's executor is running now, with their progress: what <c>genoflow status</c>
/// gathers from every coordinator of the cluster. A job is listed from its start until it finishes or fails.
/// </summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<string, Entry> _jobs = new(StringComparer.Ordinal);

    /// <summary>Lists job <paramref name="jobId"/> until the returned handle is disposed; <see cref="Entry.Done"/> counts its reduced units.</summary>
    public Entry Start(string jobId, string kind, string units, int total)
    {
        var entry = new Entry(this, jobId, kind, units, total, DateTimeOffset.UtcNow);
        _jobs[jobId] = entry;
        return entry;
    }

    /// <summary>Every running job as it stands now, oldest first.</summary>
    public IReadOnlyList<RunningJobStatus> Snapshot() =>
        [.. _jobs.Values.Select(e => e.Status()).OrderBy(j => j.Started).ThenBy(j => j.JobId, StringComparer.Ordinal)];

    /// <summary>One running job; dispose it when the job ends.</summary>
    public sealed class Entry : IDisposable
    {
        private readonly RunningJobs _owner;
        private readonly string _jobId;
        private readonly string _kind;
        private readonly string _units;
        private readonly int _total;
        private readonly DateTimeOffset _started;
        private int _done;

        internal Entry(RunningJobs owner, string jobId, string kind, string units, int total, DateTimeOffset started)
        {
            _owner = owner;
            _jobId = jobId;
            _kind = kind;
            _units = units;
            _total = total;
            _started = started;
        }

        /// <summary>One more unit reduced.</summary>
        public void UnitDone() => Interlocked.Increment(ref _done);

        internal RunningJobStatus Status() => new(_jobId, _kind, _units, Volatile.Read(ref _done), _total, _started);

        public void Dispose() => _owner._jobs.TryRemove(_jobId, out _);
    }
}
