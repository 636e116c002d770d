namespace GenoFlow.Analysis.Execution;

/// <summary>
/// Bytes written to and read from job scratch areas (pieces, sample shard sets) by whatever measures them: one tile or
/// shard request on a worker, the units of one in-process job, or a stage's own steps on its coordinator. The code that does the I/O (<see cref="ScratchStore"/>,
/// the shard set reader and writer) adds to <see cref="Current"/>, which flows with the async calls of whoever
/// <see cref="Measure"/>s, so no signature between a stage and a file has to carry it. Workers send a request's figures
/// back with its reply; the in-process executor counts the same requests the same way, so the totals agree whichever
/// executor ran the job (bytes do not depend on timing). Metadata is not counted: scratch owner markers, directory
/// listings, deletions.
/// </summary>
public sealed class ScratchTraffic
{
    private static readonly AsyncLocal<ScratchTraffic?> Ambient = new();
    private long _written;
    private long _read;

    public long Written => Interlocked.Read(ref _written);

    public long Read => Interlocked.Read(ref _read);

    /// <summary>What I/O on this flow counts into; null when nothing measures it.</summary>
    public static ScratchTraffic? Current => Ambient.Value;

    /// <summary>Counts the scratch I/O of this flow (and the tasks it starts) into this instance until the scope is disposed.</summary>
    public Scope Measure()
    {
        ScratchTraffic? outer = Ambient.Value;
        Ambient.Value = this;
        return new Scope(outer);
    }

    public void Add(long written, long read)
    {
        Interlocked.Add(ref _written, written);
        Interlocked.Add(ref _read, read);
    }

    internal static void CountWritten(long bytes) => Current?.Add(bytes, 0);

    internal static void CountRead(long bytes) => Current?.Add(0, bytes);

    /// <summary>Restores the counter that was current before <see cref="Measure"/>.</summary>
    public readonly struct Scope(ScratchTraffic? outer) : IDisposable
    {
        public void Dispose() => Ambient.Value = outer;
    }
}
