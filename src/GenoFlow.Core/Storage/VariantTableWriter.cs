using GenoFlow.Core.Genotypes;
using Parquet;
using Cols = GenoFlow.Core.Storage.DatasetLayout.VariantColumns;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Appends variants.parquet region by region, closing a row group at the first region boundary past
/// <see cref="DatasetLayout.VariantRowGroupTarget"/> variants, so memory holds one row group whatever the variant count.
/// </summary>
internal sealed class VariantTableWriter : IDisposable
{
    private static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.Snappy };

    private readonly FileStream _output;
    private readonly ParquetWriter _writer;
    private readonly List<VariantInfo> _pending = [];
    private readonly List<int> _pendingRegion = [];
    private long _pendingFirstVariant;
    private bool _closed;

    public VariantTableWriter(string path)
    {
        _output = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            _writer = Sync.Run(() => ParquetWriter.CreateAsync(Cols.Schema, _output, WriteOptions, false, default));
        }
        catch
        {
            _output.Dispose();
            throw;
        }
    }

    public void Append(int region, long firstVariant, IReadOnlyList<VariantInfo> variants)
    {
        Debug.Assert(firstVariant == _pendingFirstVariant + _pending.Count);
        _pending.AddRange(variants);
        for (int i = 0; i < variants.Count; i++)
        {
            _pendingRegion.Add(region);
        }
        if (_pending.Count >= DatasetLayout.VariantRowGroupTarget)
        {
            WritePending();
        }
    }

    /// <summary>Writes the last row group and the footer, and closes the file.</summary>
    public void Complete()
    {
        WritePending();
        _closed = true;
        Sync.Run(async () => await _writer.DisposeAsync());
        _output.Dispose();
    }

    private void WritePending()
    {
        int n = _pending.Count;
        if (n == 0)
        {
            return;
        }
        var index = new long[n];
        var pos = new long[n];
        var cm = new double[n];
        for (int i = 0; i < n; i++)
        {
            index[i] = _pendingFirstVariant + i;
            pos[i] = _pending[i].Position;
            cm[i] = _pending[i].CentiMorgans;
        }
        int[] region = [.. _pendingRegion];
        Sync.Run(async () =>
        {
            using ParquetRowGroupWriter group = _writer.CreateRowGroup();
            await group.WriteAsync<long>(Cols.VariantIndex, index);
            await group.WriteAsync(Cols.Chrom, _pending.Select(v => v.Chrom).ToArray());
            await group.WriteAsync<long>(Cols.Position, pos);
            await group.WriteAsync(Cols.Id, _pending.Select(v => v.Id).ToArray());
            await group.WriteAsync(Cols.Ref, _pending.Select(v => v.Ref).ToArray());
            await group.WriteAsync(Cols.Alt, _pending.Select(v => v.Alt).ToArray());
            await group.WriteAsync<double>(Cols.CentiMorgans, cm);
            await group.WriteAsync<int>(Cols.Region, region);
            group.CompleteValidate();
        });
        _pendingFirstVariant += n;
        _pending.Clear();
        _pendingRegion.Clear();
    }

    public void Dispose()
    {
        if (!_closed)
        {
            _closed = true;
            try
            {
                Sync.Run(async () => await _writer.DisposeAsync());
            }
            catch (IOException)
            {
                // Abandoned output: the caller deletes the file.
            }
            catch (InvalidOperationException)
            {
                // A row group left half-written by a failure: the file is discarded anyway.
            }
            _output.Dispose();
        }
    }
}
