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
    private readonly ByteBoundedLru<CacheKey, Tile> _tiles;
    private readonly Dictionary<DatasetRef, Dataset> _datasets = [];

    public TileCache(long capacityBytes)
    {
        _tiles = new ByteBoundedLru<CacheKey, Tile>(capacityBytes, tile => tile.SizeBytes);
    }

    public long CapacityBytes => _tiles.CapacityBytes;

    public long CachedBytes => _tiles.CachedBytes;

    /// <summary>Tiles read from the store so far (a cache miss each, or a <see cref="Borrow"/> of a tile not kept).</summary>
    public long Loads => _tiles.Loads + Interlocked.Read(ref _borrowedLoads);

    private long _borrowedLoads;

    public Tile Get(DatasetRef dataset, TileId id)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return _tiles.GetOrLoad(new CacheKey(dataset.Path, dataset.ManifestChecksum, id), () => Load(OpenDataset(dataset), id));
    }

    /// <summary>
    /// Tile <paramref name="id"/> for one operation that reads each tile once per job: the cached tile when this cache
    /// holds it, else the tile read into pooled memory, used and given back when the lease is disposed, never kept.
    /// Keeping such a tile would evict tiles that iterative jobs read again, and allocating its bytes on every read
    /// cost QC more than counting them.
    /// </summary>
    public TileLease Borrow(DatasetRef dataset, TileId id)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (_tiles.TryGet(new CacheKey(dataset.Path, dataset.ManifestChecksum, id), out Tile? cached))
        {
            return new TileLease(cached, null);
        }
        Dataset open = OpenDataset(dataset);
        byte[] rows = open.ReadTileRented(id.Region, id.Block, out int length);
        Interlocked.Increment(ref _borrowedLoads);
        try
        {
            RegionInfo region = open.Manifest.Regions[id.Region];
            int firstSample = id.Block * open.Manifest.SamplesPerTile;
            var tile = new Tile(id, region.FirstVariant, region.VariantCount, firstSample, open.Manifest.BlockSampleCount(id.Block), rows.AsMemory(0, length));
            return new TileLease(tile, rows);
        }
        catch
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rows);
            throw;
        }
    }

    /// <summary>
    /// The open dataset version <paramref name="dataset"/> names: the current release or an earlier one still kept (a job
    /// that started before a release was appended finishes on its own); refused once that version is gone.
    /// </summary>
    public Dataset OpenDataset(DatasetRef dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        lock (_lock)
        {
            if (_datasets.TryGetValue(dataset, out Dataset? open))
            {
                return open;
            }
        }
        Dataset opened = Dataset.OpenVersion(dataset.Path, dataset.ManifestChecksum);
        lock (_lock)
        {
            _datasets[dataset] = opened;
        }
        return opened;
    }

    private static Tile Load(Dataset dataset, TileId id)
    {
        using var batch = dataset.ReadTile(id.Region, id.Block);
        int firstSample = id.Block * dataset.Manifest.SamplesPerTile;
        return Tile.FromBatch(id, batch, firstSample, dataset.Manifest.BlockSampleCount(id.Block));
    }

    private readonly record struct CacheKey(string Path, string Checksum, TileId Tile);
}
