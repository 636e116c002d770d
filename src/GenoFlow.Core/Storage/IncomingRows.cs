using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Full packed rows (all samples) of an incoming release's variants, decoded a region at a time. <see cref="Prepare"/>
/// loads the regions a batch of variants needs and drops the rest, so memory is the incoming tile rows one output
/// region touches (one or two when the input is in dataset order); <see cref="Row"/> may then be called concurrently.
/// </summary>
internal sealed class IncomingRows(Dataset incoming)
{
    private readonly Dictionary<int, byte[]> _regions = [];

    public int RowBytes { get; } = PackedGenotypes.RowBytes(incoming.SampleCount);

    public void Prepare(IEnumerable<long> variants)
    {
        var needed = variants.Where(v => v >= 0).Select(RegionOf).ToHashSet();
        foreach (int region in _regions.Keys.Where(r => !needed.Contains(r)).ToList())
        {
            _regions.Remove(region);
        }
        foreach (int region in needed.Where(r => !_regions.ContainsKey(r)))
        {
            _regions[region] = Load(region);
        }
    }

    public ReadOnlySpan<byte> Row(long variant)
    {
        int region = RegionOf(variant);
        long row = variant - incoming.Manifest.Regions[region].FirstVariant;
        return _regions[region].AsSpan(checked((int)(row * RowBytes)), RowBytes);
    }

    private int RegionOf(long variant)
    {
        IReadOnlyList<RegionInfo> regions = incoming.Manifest.Regions;
        int lo = 0, hi = regions.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (regions[mid].FirstVariant <= variant)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private byte[] Load(int region)
    {
        int count = incoming.Manifest.Regions[region].VariantCount;
        var rows = new byte[(long)count * RowBytes];
        for (int block = 0; block < incoming.SampleBlockCount; block++)
        {
            TileData tile = incoming.ReadTileData(region, block);
            int offset = block * (incoming.Manifest.SamplesPerTile / 4);
            for (int i = 0; i < count; i++)
            {
                tile.Genotypes.AsSpan(i * tile.BlockBytes, tile.BlockBytes).CopyTo(rows.AsSpan(i * RowBytes + offset));
            }
        }
        return rows;
    }
}
