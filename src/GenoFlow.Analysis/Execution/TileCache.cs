using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// Tiles loaded on this node, bounded in bytes and evicted least-recently-used, so a node's memory is set by
/// configuration and not by dataset size. Tiles are read straight from the dataset store (checksum-verified); a tile
/// larger than the whole cache is handed out without being kept.
/// </summary>
public sealed class TileCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<CacheKey, LinkedListNode<(CacheKey Key, Tile Tile)>> _entries = [];
    private readonly LinkedList<(CacheKey Key, Tile Tile)> _recency = new();
    private readonly Dictionary<string, Dataset> _datasets = new(StringComparer.Ordinal);
    private long _bytes;

    public TileCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    public long CachedBytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Tiles read from the store so far (a cache miss each).</summary>
    public long Loads { get; private set; }

    public Tile Get(DatasetRef dataset, TileId id)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var key = new CacheKey(dataset.Path, dataset.ManifestChecksum, id);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Tile;
            }
        }
        // Loading happens outside the lock; two threads may load the same tile once each, which is harmless.
        Tile tile = Load(OpenDataset(dataset), id);
        lock (_lock)
        {
            Loads++;
            if (tile.SizeBytes > CapacityBytes || _entries.ContainsKey(key))
            {
                return tile;
            }
            _entries[key] = _recency.AddFirst((key, tile));
            _bytes += tile.SizeBytes;
            while (_bytes > CapacityBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Tile.SizeBytes;
            }
        }
        return tile;
    }

    /// <summary>The open dataset for <paramref name="dataset"/>, reopened if it was replaced, refused if it no longer matches.</summary>
    public Dataset OpenDataset(DatasetRef dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        lock (_lock)
        {
            if (_datasets.TryGetValue(dataset.Path, out Dataset? open) && open.Manifest.ManifestXxh3 == dataset.ManifestChecksum)
            {
                return open;
            }
        }
        Dataset reopened = Dataset.Open(dataset.Path);
        if (reopened.Manifest.ManifestXxh3 != dataset.ManifestChecksum)
        {
            throw new DatasetException(dataset.Path, $"{dataset.Path} was replaced while the job ran (manifest {reopened.Manifest.ManifestXxh3}, job started on {dataset.ManifestChecksum}); run the job again");
        }
        lock (_lock)
        {
            _datasets[dataset.Path] = reopened;
        }
        return reopened;
    }

    private static Tile Load(Dataset dataset, TileId id)
    {
        using var batch = dataset.ReadTile(id.Region, id.Block);
        int firstSample = id.Block * dataset.Manifest.SamplesPerTile;
        return Tile.FromBatch(id, batch, firstSample, dataset.Manifest.BlockSampleCount(id.Block));
    }

    private readonly record struct CacheKey(string Path, string Checksum, TileId Tile);
}
