using GenoFlow.Analysis.Execution;

namespace GenoFlow.Analysis.Results;

/// <summary>
/// One tile job run through the result store. The tiles missing from the store go to the inner executor as one job;
/// as each fresh partial arrives it is stored, the stored partials of the tiles before it are reduced, then it is. A
/// stored entry that turns out bad in its turn (damaged, or evicted by another job since the lookup) stops the
/// reduction there; the rest is reduced after the inner job, from the store, recomputing one tile at a time whatever
/// cannot be read.
/// </summary>
internal sealed class CachedTileJob(IJobExecutor inner, ResultStore store, TileJob job, IReadOnlyList<ResultKey> keys, Action<TileId, ReadOnlyMemory<byte>> reduce,
    IProgress<double>? progress)
{
    private readonly Dictionary<TileId, int> _index = job.Tiles.Select((tile, i) => (tile, i)).ToDictionary(p => p.tile, p => p.i);
    private readonly bool[] _computedHere = new bool[job.Tiles.Count];
    private readonly List<JobSummary> _computed = [];
    private int _next;
    private bool _stalled;
    private long _fromStore;

    public async Task<JobSummary> RunAsync(CancellationToken cancellationToken)
    {
        TileId[] missing = job.Tiles.Where((_, i) => !store.Contains(keys[i])).ToArray();
        if (missing.Length > 0)
        {
            _computed.Add(await inner.RunAsync(job with { Tiles = missing }, ReduceFresh, null, cancellationToken).ConfigureAwait(false));
        }
        _stalled = false;
        while (_next < job.Tiles.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!TryReduceStored())
            {
                _computed.Add(await inner.RunAsync(job with { Tiles = [job.Tiles[_next]] }, ReduceFresh, null, cancellationToken).ConfigureAwait(false));
            }
        }
        return Summary();
    }

    private void ReduceFresh(TileId tile, ReadOnlyMemory<byte> partial)
    {
        int index = _index[tile];
        _computedHere[index] = true;
        store.Write(keys[index], partial.Span);
        while (!_stalled && _next < index)
        {
            _stalled = !TryReduceStored();
        }
        if (!_stalled && _next == index)
        {
            Reduce(partial);
        }
    }

    /// <summary>Reduces tile <see cref="_next"/> from the store; false when its entry is missing or bad.</summary>
    private bool TryReduceStored()
    {
        if (store.TryRead(keys[_next]) is not { } partial)
        {
            return false;
        }
        if (!_computedHere[_next])
        {
            _fromStore++;
        }
        Reduce(partial);
        return true;
    }

    private void Reduce(ReadOnlyMemory<byte> partial)
    {
        reduce(job.Tiles[_next], partial);
        _next++;
        progress?.Report((double)_next / job.Tiles.Count);
    }

    /// <summary>The inner jobs' costs added up, with the tiles that came from the store.</summary>
    private JobSummary Summary()
    {
        var perNode = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (node, count) in _computed.SelectMany(s => s.UnitsPerNode))
        {
            perNode[node] = perNode.GetValueOrDefault(node) + count;
        }
        return new JobSummary(JobSummary.Tiles, perNode, _computed.Sum(s => s.Requests), _computed.Sum(s => s.Retries)) 
        {
            MessageBytes = _computed.Sum(s => s.MessageBytes),
            ScratchWritten = _computed.Sum(s => s.ScratchWritten),
            ScratchRead = _computed.Sum(s => s.ScratchRead),
            FromStore = _fromStore,
            ComputedTiles = job.Tiles.Where((_, i) => _computedHere[i]).ToArray(),
        };
    }
}
