using System.Runtime.ExceptionServices;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// Runs tile and sample-shard operations on this process's thread pool: for unit tests and small jobs, and the reference
/// the cluster executor must match byte for byte. A sliding window of units runs ahead of the reduction, so memory
/// stays bounded by the window, not the job. Units run with the job's <see cref="ScratchTraffic"/> current, as a worker
/// runs each request with one of its own, so a job's scratch bytes come out as on a cluster.
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
        var traffic = new ScratchTraffic();
        return RunWindowAsync(job.Tiles, JobSummary.Tiles, traffic,
            tile =>
            {
                using ScratchTraffic.Scope measured = traffic.Measure();
                return TileOperationRunner.Run(operation, cache, job.Dataset, tile, job.InputFor(tile).Span, cancellationToken);
            },
            reduce, progress, cancellationToken);
    }

    public Task<JobSummary> RunAsync(SampleShardJob job, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(reduce);
        ISampleShardOperation operation = _operations.GetShardOperation(job.Operation);
        var traffic = new ScratchTraffic();
        return Task.Run(() => RunChunks(job.ShardCount, traffic, shard =>
            {
                using ScratchTraffic.Scope measured = traffic.Measure();
                return SampleShardOperationRunner.Run(operation, _shards, job.ShardSet, shard, job.InputFor(shard).Span, cancellationToken);
            }, reduce, progress, cancellationToken),
            cancellationToken);
    }

    public bool TryHold(InMemoryShardSet set) => _shards.TryHold(set);

    public void Release(InMemoryShardSet set) => _shards.Release(set);

    /// <summary>
    /// Sample-shard jobs are often tiny (a mini-batch step draws ~64 rows per shard): a task and an await per shard cost
    /// more than the work (k-means 1M x 20: ~1.2 ms per step of 16 shards, most of the steps' time). So the shards run in
    /// chunks of the window as one parallel loop on this thread and the pool, each chunk reduced in shard order; a
    /// failure surfaces as the first failing shard's exception, as awaiting them in order did.
    /// </summary>
    private JobSummary RunChunks(int units, ScratchTraffic traffic, Func<int, byte[]> run, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var results = new byte[_window][];
        var errors = new ExceptionDispatchInfo?[_window];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _window / 2), CancellationToken = cancellationToken };
        for (int first = 0; first < units; first += _window)
        {
            int count = Math.Min(_window, units - first);
            int start = first;
            Parallel.For(0, count, options, i =>
            {
                try
                {
                    results[i] = run(start + i);
                    errors[i] = null;
                }
                catch (Exception e)
                {
                    errors[i] = ExceptionDispatchInfo.Capture(e);
                }
            });
            for (int i = 0; i < count; i++)
            {
                errors[i]?.Throw();
                reduce(start + i, results[i]);
                progress?.Report((start + i + 1.0) / units);
            }
        }
        return new JobSummary(JobSummary.SampleShards, new Dictionary<string, int>(StringComparer.Ordinal) { [NodeName] = units }, units, 0)
        {
            ScratchWritten = traffic.Written,
            ScratchRead = traffic.Read,
        };
    }

    private async Task<JobSummary> RunWindowAsync<TUnit>(IReadOnlyList<TUnit> units, string kind, ScratchTraffic traffic, Func<TUnit, byte[]> run, Action<TUnit, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress,
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
        return new JobSummary(kind, new Dictionary<string, int>(StringComparer.Ordinal) { [NodeName] = units.Count }, units.Count, 0)
        {
            ScratchWritten = traffic.Written,
            ScratchRead = traffic.Read,
        };
    }
}
