using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// Runs tile and sample-shard operations on this process's thread pool: for unit tests and small jobs, and the reference
/// the cluster executor must match byte for byte. A sliding window of units runs ahead of the reduction, so memory
/// stays bounded by the window, not the job.
/// </summary>
/// <param name="scratch">Where scratch job ids resolve; none by default (then only QC and LD run).</param>
public sealed class InProcessExecutor(TileCache cache, OperationRegistry? operations = null, int? parallelism = null, SampleShardCache? shards = null, ScratchRoot? scratch = null)
    : IJobExecutor, IInMemoryShardHost
{
    private readonly OperationRegistry _operations = operations ?? OperationRegistry.For(scratch ?? ScratchRoot.None);
    private readonly SampleShardCache _shards = shards ?? new SampleShardCache(SampleShardCache.DefaultCapacityBytes, cache);
    private readonly int _window = Math.Max(1, parallelism ?? Environment.ProcessorCount) * 2;

    /// <summary>The name this executor gives its one node in <see cref="JobSummary.UnitsPerNode"/>.</summary>
    public const string NodeName = "in-process";

    public ScratchRoot Scratch { get; } = scratch ?? ScratchRoot.None;

    public Task<JobSummary> RunAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(reduce);
        ITileOperation operation = _operations.Get(job.Operation);
        return RunWindowAsync(job.Tiles, JobSummary.Tiles,
            tile => TileOperationRunner.Run(operation, cache, job.Dataset, tile, job.InputFor(tile).Span),
            reduce, progress, cancellationToken);
    }

    public Task<JobSummary> RunAsync(SampleShardJob job, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(reduce);
        ISampleShardOperation operation = _operations.GetShardOperation(job.Operation);
        return RunWindowAsync(Enumerable.Range(0, job.ShardCount).ToArray(), JobSummary.SampleShards,
            shard => operation.Run(_shards.Get(job.ShardSet, shard), job.InputFor(shard).Span),
            reduce, progress, cancellationToken);
    }

    public bool TryHold(InMemoryShardSet set) => _shards.TryHold(set);

    public void Release(InMemoryShardSet set) => _shards.Release(set);

    private async Task<JobSummary> RunWindowAsync<TUnit>(IReadOnlyList<TUnit> units, string kind, Func<TUnit, byte[]> run, Action<TUnit, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress,
        CancellationToken cancellationToken)
    {
        var running = new Queue<Task<byte[]>>();
        int next = 0;
        for (int done = 0; done < units.Count; done++)
        {
            while (next < units.Count && running.Count < _window)
            {
                TUnit unit = units[next++];
                running.Enqueue(Task.Run(() => run(unit), cancellationToken));
            }
            byte[] partial = await running.Dequeue().ConfigureAwait(false);
            reduce(units[done], partial);
            progress?.Report((done + 1.0) / units.Count);
        }
        return new JobSummary(kind, new Dictionary<string, int>(StringComparer.Ordinal) { [NodeName] = units.Count }, units.Count, 0);
    }
}
