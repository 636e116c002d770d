using System.Collections.Concurrent;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Results;

/// <summary>
/// An executor that looks each tile of a job up in the result store before sending any work: only tiles whose
/// <see cref="ResultKey"/> is new go to the inner executor (in-process or the cluster, which give the same bytes), their
/// partials are stored, and the reduce sees stored and fresh partials exactly once per tile in tile order, as the
/// <see cref="IJobExecutor"/> contract says. Only <see cref="ICacheableTileOperation"/>s are looked up; every other tile
/// job and every sample-shard job (shard files are made per job) passes straight through.
/// </summary>
public sealed class CachingExecutor(IJobExecutor inner, ResultStoreSettings settings, OperationRegistry? operations = null) : IJobExecutor, IInMemoryShardHost
{
    private readonly OperationRegistry _operations = operations ?? OperationRegistry.For(inner.Scratch);

    public ScratchRoot Scratch => inner.Scratch;

    /// <summary>Sample shards are never cached here; an inner executor that holds them in memory still may.</summary>
    public bool TryHold(InMemoryShardSet set) => inner is IInMemoryShardHost host && host.TryHold(set);

    public void Release(InMemoryShardSet set) => (inner as IInMemoryShardHost)?.Release(set);

    /// <summary>One store object per directory, so a stage's jobs share its running size.</summary>
    private readonly ConcurrentDictionary<string, ResultStore> _stores = new(StringComparer.Ordinal);

    public async Task<JobSummary> RunAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(reduce);
        if (!settings.Enabled || _operations.Get(job.Operation) is not ICacheableTileOperation operation)
        {
            return await inner.RunAsync(job, reduce, progress, cancellationToken).ConfigureAwait(false);
        }
        ResultStore store = _stores.GetOrAdd(settings.DirectoryFor(job.Dataset), directory => new ResultStore(directory, settings.CapacityBytes));
        ResultKey[] keys = KeysOf(job, operation);
        return await new CachedTileJob(inner, store, job, keys, reduce, progress).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<JobSummary> RunAsync(SampleShardJob job, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        inner.RunAsync(job, reduce, progress, cancellationToken);

    /// <summary>Each tile's key, from the exact dataset version the job names.</summary>
    private static ResultKey[] KeysOf(TileJob job, ICacheableTileOperation operation)
    {
        using Dataset dataset = Dataset.OpenVersion(job.Dataset.Path, job.Dataset.ManifestChecksum);
        var keys = new ResultKey[job.Tiles.Count];
        for (int t = 0; t < keys.Length; t++)
        {
            TileId tile = job.Tiles[t];
            ReadOnlySpan<byte> input = job.InputFor(tile).Span;
            IEnumerable<string> checksums = operation.TilesRead(tile, input, dataset.Manifest).Select(read => dataset.TileXxh3(read.Region, read.Block));
            keys[t] = ResultKey.Of(operation.Name, operation.ResultVersion, checksums, dataset.Manifest.BlockSampleCount(tile.Block), input);
        }
        return keys;
    }
}
