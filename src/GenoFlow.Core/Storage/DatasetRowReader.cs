using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Streams a dataset's variants in order with full packed rows: loads one tile row (a region's tiles for every block,
/// in parallel) and hands its rows out one by one. Memory is one tile row.
/// </summary>
internal sealed class DatasetRowReader : IGenotypeReader
{
    private readonly Dataset _dataset;
    private readonly IEnumerator<VariantInfo> _variants;
    private readonly int _rowBytes;
    private byte[] _rows = [];
    private int _region = -1;
    private int _rowInRegion;
    private int _regionRows;
    private long _read;

    public DatasetRowReader(Dataset dataset)
    {
        _dataset = dataset;
        Samples = dataset.ReadSamples();
        _rowBytes = PackedGenotypes.RowBytes(dataset.SampleCount);
        _variants = dataset.ReadVariants().GetEnumerator();
    }

    public IReadOnlyList<SampleInfo> Samples { get; }

    public double Progress => (double)_read / _dataset.VariantCount;

    public bool ReadNext([NotNullWhen(true)] out VariantInfo? variant, Span<byte> packedRow)
    {
        if (packedRow.Length != _rowBytes)
        {
            throw new ArgumentException($"packed row holds {packedRow.Length} bytes; {_dataset.SampleCount} samples need {_rowBytes}", nameof(packedRow));
        }
        if (_rowInRegion == _regionRows)
        {
            if (_region + 1 == _dataset.RegionCount)
            {
                variant = null;
                return false;
            }
            LoadRegion(++_region);
        }
        if (!_variants.MoveNext())
        {
            string file = Path.Join(_dataset.Path, _dataset.VariantsFile);
            throw new GenoFlowFormatException(file, $"ends at variant {_read}, the tiles hold more; the dataset is damaged");
        }
        variant = _variants.Current;
        _rows.AsSpan(_rowInRegion * _rowBytes, _rowBytes).CopyTo(packedRow);
        _rowInRegion++;
        _read++;
        return true;
    }

    private void LoadRegion(int region)
    {
        DatasetManifest manifest = _dataset.Manifest;
        int rows = manifest.Regions[region].VariantCount;
        if (_rows.Length < rows * _rowBytes)
        {
            _rows = GC.AllocateUninitializedArray<byte>(manifest.VariantsPerTile * _rowBytes);
        }
        byte[] target = _rows;
        int rowBytes = _rowBytes;
        ParallelBlocks.For(manifest.SampleBlockCount, block =>
        {
            TileData tile = _dataset.ReadTileData(region, block);
            int offset = block * (manifest.SamplesPerTile / 4);
            for (int i = 0; i < rows; i++)
            {
                tile.Genotypes.AsSpan(i * tile.BlockBytes, tile.BlockBytes).CopyTo(target.AsSpan(i * rowBytes + offset, tile.BlockBytes));
            }
        });
        _regionRows = rows;
        _rowInRegion = 0;
    }

    public void Dispose() => _variants.Dispose();
}
