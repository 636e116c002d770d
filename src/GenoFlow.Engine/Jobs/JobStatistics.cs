using System.Collections.Concurrent;
using GenoFlow.Analysis.Execution;

namespace GenoFlow.Engine.Jobs;

/// <summary>
/// What happened while a job ran: which node computed each unit (tile or sample shard), how many requests were sent, retried, and which
/// replies were ignored as duplicates or late. Written by the job's coordinator; read it once the job has finished.
/// </summary>
public sealed class JobStatistics
{
    private readonly ConcurrentDictionary<int, string> _computedBy = new();
    private long _requests;
    private long _retries;
    private long _timeouts;
    private long _ignoredReplies;
    private long _messageBytes;
    private long _scratchWritten;
    private long _scratchRead;

    public JobStatistics(string jobId, string units = JobSummary.Tiles)
    {
        JobId = jobId;
        Units = units;
    }

    public string JobId { get; }

    /// <summary>What the job's units are: <see cref="JobSummary.Tiles"/> or <see cref="JobSummary.SampleShards"/>.</summary>
    public string Units { get; }

    /// <summary>Node address (akka.tcp://system@host:port) whose reply was used, per unit (its position in the job).</summary>
    public IReadOnlyDictionary<int, string> ComputedBy => _computedBy;

    /// <summary>Units whose reply was used, per node address.</summary>
    public IReadOnlyDictionary<string, int> UnitsPerNode =>
        _computedBy.Values.GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Requests sent, retries included.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests sent again after a timeout or a transient failure.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Requests that got no reply within the request timeout.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Replies whose request was no longer pending (late after a timeout, or duplicates).</summary>
    public long IgnoredReplies => Interlocked.Read(ref _ignoredReplies);

    /// <summary>Payload bytes that crossed Akka remoting: request inputs (every attempt) and reply partials (late and duplicate ones included).</summary>
    public long MessageBytes => Interlocked.Read(ref _messageBytes);

    /// <summary>Bytes the workers wrote to the job's scratch store, as their replies (late and duplicate ones included) report.</summary>
    public long ScratchWritten => Interlocked.Read(ref _scratchWritten);

    /// <summary>Bytes the workers read from the job's scratch store, as their replies report.</summary>
    public long ScratchRead => Interlocked.Read(ref _scratchRead);

    public JobSummary Summary() => new(Units, UnitsPerNode, Requests, Retries) { MessageBytes = MessageBytes, ScratchWritten = ScratchWritten, ScratchRead = ScratchRead };

    internal void RequestSent(bool retry, int inputBytes)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _messageBytes, inputBytes);
        if (retry)
        {
            Interlocked.Increment(ref _retries);
        }
    }

    internal void ReplyReceived(int partialBytes, long scratchWritten, long scratchRead)
    {
        Interlocked.Add(ref _messageBytes, partialBytes);
        Interlocked.Add(ref _scratchWritten, scratchWritten);
        Interlocked.Add(ref _scratchRead, scratchRead);
    }

    internal void RequestTimedOut() => Interlocked.Increment(ref _timeouts);

    internal void ReplyIgnored() => Interlocked.Increment(ref _ignoredReplies);

    internal void Computed(int unit, string node) => _computedBy[unit] = node;
}
