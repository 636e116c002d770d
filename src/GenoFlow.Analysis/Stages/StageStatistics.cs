using GenoFlow.Analysis.Execution;

namespace GenoFlow.Analysis.Stages;

/// <summary>
/// What a stage's jobs cost, summed over every scatter it ran (PCA runs dozens, k-means hundreds): units computed per
/// node for each kind of unit, requests and retries. The proof a stage was really spread, and what run.json records.
/// </summary>
public sealed class StageStatistics
{
    private readonly SortedDictionary<string, SortedDictionary<string, long>> _units = new(StringComparer.Ordinal);

    public int Jobs { get; private set; }

    public long Requests { get; private set; }

    public long Retries { get; private set; }

    /// <summary>Payload bytes the stage's jobs moved through cluster messages (request inputs, reply partials).</summary>
    public long MessageBytes { get; private set; }

    /// <summary>
    /// Bytes the stage's own steps (on the job's coordinator, between its scatters) wrote to and read from its scratch
    /// areas; <see cref="StageContext.RunAsync{T}"/> measures them into this.
    /// </summary>
    public ScratchTraffic StageScratch { get; } = new();

    /// <summary>Bytes the units of the stage's jobs (on the workers) wrote to and read from its scratch areas (<see cref="JobSummary.ScratchWritten"/>).</summary>
    public ScratchTraffic UnitScratch { get; } = new();

    /// <summary>Bytes written to the scratch store, by the stage's own steps and its units.</summary>
    public long ScratchWritten => StageScratch.Written + UnitScratch.Written;

    /// <summary>Bytes read from the scratch store, by the stage's own steps and its units.</summary>
    public long ScratchRead => StageScratch.Read + UnitScratch.Read;

    /// <summary>Bytes of the dataset tiles the stage's tile jobs scanned (each tile's file size once per scatter that computed it).</summary>
    public long TileBytes => Interlocked.Read(ref _tileBytes);

    private long _tileBytes;

    public void AddTileBytes(long bytes) => Interlocked.Add(ref _tileBytes, bytes);

    /// <summary>Units computed, of every kind, on every node.</summary>
    public long Computed { get; private set; }

    /// <summary>Tiles whose partial came from the result store; null when no job consulted one.</summary>
    public long? FromStore { get; private set; }

    /// <summary>Units computed per node, by kind of unit ("tiles", "sample shards"), in name order.</summary>
    public IReadOnlyDictionary<string, SortedDictionary<string, long>> UnitsPerNode => _units;

    /// <returns><paramref name="job"/>, for chaining.</returns>
    public JobSummary Add(JobSummary job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_units)
        {
            Jobs++;
            Requests += job.Requests;
            Retries += job.Retries;
            MessageBytes += job.MessageBytes;
            UnitScratch.Add(job.ScratchWritten, job.ScratchRead);
            Computed += job.Computed;
            if (job.FromStore is { } fromStore)
            {
                FromStore = FromStore.GetValueOrDefault() + fromStore;
            }
            if (!_units.TryGetValue(job.Units, out SortedDictionary<string, long>? perNode))
            {
                _units[job.Units] = perNode = new SortedDictionary<string, long>(StringComparer.Ordinal);
            }
            foreach (var (node, count) in job.UnitsPerNode)
            {
                perNode[node] = perNode.GetValueOrDefault(node) + count;
            }
        }
        return job;
    }

    /// <summary>
    /// One line: "tiles per node: A 12, B 10; 3 jobs, 22 requests, 0 retried, 0.4 MB of tiles scanned, 0.12 MB in messages,
    /// 3.40 MB through the scratch store (1.10 written, 2.30 read; units 0.00 written, 1.20 read)", then, when a result store was consulted,
    /// "; result store: 22 computed, 50 from store"; or that nothing was computed.
    /// </summary>
    public string Describe()
    {
        if (Jobs == 0)
        {
            return "nothing computed on the cluster";
        }
        IEnumerable<string> kinds = _units.Select(kind => $"{kind.Key} per node: {string.Join(", ", kind.Value.Select(n => $"{n.Key} {n.Value}"))}");
        string scanned = TileBytes > 0 ? $", {TileBytes / 1e6:F1} MB of tiles scanned" : "";
        string messages = MessageBytes > 0 ? $", {MessageBytes / 1e6:F2} MB in messages" : "";
        long written = ScratchWritten, read = ScratchRead;
        string scratch = written + read > 0
            ? $", {(written + read) / 1e6:F2} MB through the scratch store ({written / 1e6:F2} written, {read / 1e6:F2} read; units {UnitScratch.Written / 1e6:F2} written, {UnitScratch.Read / 1e6:F2} read)"
            : "";
        string store = FromStore is { } fromStore ? $"; result store: {Computed} computed, {fromStore} from store" : "";
        return $"{string.Join("; ", kinds)}; {Jobs} job{(Jobs == 1 ? "" : "s")}, {Requests} requests, {Retries} retried{scanned}{messages}{scratch}{store}";
    }
}
