namespace GenoFlow.Analysis.Execution;

/// <summary>
/// Runs tile operations on this process's thread pool: for unit tests and small jobs, and the reference the cluster
/// executor must match byte for byte. A sliding window of tiles runs ahead of the reduction, so memory stays bounded
/// by the window, not the job.
/// </summary>
public sealed class InProcessTileExecutor(TileCache cache, TileOperationRegistry? operations = null, int? parallelism = null) : ITileExecutor
{
    private readonly TileOperationRegistry _operations = operations ?? TileOperationRegistry.Default;
    private readonly int _window = Math.Max(1, parallelism ?? Environment.ProcessorCount) * 2;

    public async Task RunAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(reduce);
        ITileOperation operation = _operations.Get(job.Operation);
        var running = new Queue<Task<byte[]>>();
        int next = 0;
        for (int done = 0; done < job.Tiles.Count; done++)
        {
            while (next < job.Tiles.Count && running.Count < _window)
            {
                TileId tile = job.Tiles[next++];
                running.Enqueue(Task.Run(() => TileOperationRunner.Run(operation, cache, job.Dataset, tile, job.InputFor(tile).Span), cancellationToken));
            }
            byte[] partial = await running.Dequeue();
            reduce(job.Tiles[done], partial);
            progress?.Report((done + 1.0) / job.Tiles.Count);
        }
    }
}
