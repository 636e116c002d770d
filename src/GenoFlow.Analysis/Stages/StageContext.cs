using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Results;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Stages;

/// <summary>
/// What a stage runs against: the executor its jobs go to (wrapped so that every scatter's cost lands in
/// <see cref="Statistics"/>, and, given a result store, so that tiles computed before are not computed again), the directory its output is published to, scratch areas under the executor's scratch
/// root (made on demand, removed when the context is disposed, whether the stage succeeded or not), progress and cancellation.
/// A command and a pipeline step make one context per stage run; they never share one. The context holds the output
/// directory's one-writer lock (<see cref="Output.OutputDirectory.Lock"/>) from its creation to its disposal.
/// </summary>
public sealed class StageContext : IDisposable
{
    private readonly List<ScratchStore> _scratch = [];
    private readonly DatasetLock _outputLock;

    public StageContext(IJobExecutor executor, string outputDirectory, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        : this(executor, outputDirectory, null, progress, cancellationToken)
    {
    }

    /// <param name="resultStore">Where tile jobs keep and look up partial results (<see cref="CachingExecutor"/>); null for none.</param>
    public StageContext(IJobExecutor executor, string outputDirectory, ResultStoreSettings? resultStore, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        Executor = new RecordingExecutor(resultStore is null ? executor : new CachingExecutor(executor, resultStore), Statistics);
        OutputDirectory = Path.GetFullPath(outputDirectory);
        _outputLock = Output.OutputDirectory.Lock(OutputDirectory);
        Progress = progress;
        CancellationToken = cancellationToken;
    }

    public IJobExecutor Executor { get; }

    /// <summary>Where the stage publishes its files (through <see cref="Output.OutputDirectory.Publish"/>).</summary>
    public string OutputDirectory { get; }

    public IProgress<double>? Progress { get; }

    public CancellationToken CancellationToken { get; }

    public StageStatistics Statistics { get; } = new();

    /// <summary>
    /// Runs <paramref name="stage"/> against this context with its own steps' scratch I/O measured into
    /// <see cref="StageStatistics.StageScratch"/> (its jobs' units count theirs into each job's summary).
    /// </summary>
    public async Task<T> RunAsync<T>(Func<StageContext, Task<T>> stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        using ScratchTraffic.Scope measured = Statistics.StageScratch.Measure();
        return await stage(this).ConfigureAwait(false);
    }

    /// <summary>A new, empty scratch area for this stage's jobs, under the executor's scratch root.</summary>
    public ScratchStore CreateScratch()
    {
        ScratchStore store = Executor.Scratch.CreateStore();
        lock (_scratch)
        {
            _scratch.Add(store);
        }
        return store;
    }

    public void Dispose()
    {
        try
        {
            lock (_scratch)
            {
                foreach (ScratchStore store in _scratch)
                {
                    store.Delete();
                }
                _scratch.Clear();
            }
        }
        finally
        {
            _outputLock.Dispose();
        }
    }

    /// <summary>Passes jobs through and adds each one's cost to the stage's statistics.</summary>
    private sealed class RecordingExecutor(IJobExecutor inner, StageStatistics statistics) : IJobExecutor, IInMemoryShardHost
    {
        public ScratchRoot Scratch => inner.Scratch;

        public bool TryHold(Shards.InMemoryShardSet set) => inner is IInMemoryShardHost host && host.TryHold(set);

        public void Release(Shards.InMemoryShardSet set) => (inner as IInMemoryShardHost)?.Release(set);

        /// <summary>Tile file sizes per dataset version, from its manifest: read once per stage, not per scatter.</summary>
        private readonly Dictionary<DatasetRef, Func<TileId, long>> _tileBytes = [];

        public async Task<JobSummary> RunAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        {
            JobSummary summary = await inner.RunAsync(job, reduce, progress, cancellationToken).ConfigureAwait(false);
            Func<TileId, long> bytes = TileBytes(job.Dataset);
            statistics.AddTileBytes((summary.ComputedTiles ?? job.Tiles).Sum(bytes));
            return statistics.Add(summary);
        }

        public async Task<JobSummary> RunAsync(SampleShardJob job, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
            statistics.Add(await inner.RunAsync(job, reduce, progress, cancellationToken).ConfigureAwait(false));

        private Func<TileId, long> TileBytes(DatasetRef reference)
        {
            lock (_tileBytes)
            {
                if (!_tileBytes.TryGetValue(reference, out Func<TileId, long>? bytes))
                {
                    using Dataset dataset = Dataset.OpenVersion(reference.Path, reference.ManifestChecksum);
                    var sizes = new Dictionary<TileId, long>();
                    for (int r = 0; r < dataset.RegionCount; r++)
                    {
                        for (int b = 0; b < dataset.SampleBlockCount; b++)
                        {
                            sizes[new TileId(r, b)] = dataset.TileBytes(r, b);
                        }
                    }
                    bytes = tile => sizes.GetValueOrDefault(tile);
                    _tileBytes[reference] = bytes;
                }
                return bytes;
            }
        }
    }
}
