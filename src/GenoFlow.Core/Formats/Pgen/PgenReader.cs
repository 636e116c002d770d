using GenoFlow.Core.Formats.Binary;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Pgen;

/// <summary>
/// Reads a PLINK 2 fileset (PREFIX.pgen, PREFIX.pvar or PREFIX.pvar.zst, PREFIX.psam) as biallelic hard calls, one
/// record at a time: REF and ALT from the .pvar, samples from the .psam, calls from the .pgen's hard-call tracks
/// (<see cref="PgenRecordDecoder"/>); a multi-allelic variant becomes one row per ALT allele, split as VCF import splits.
/// Memory is one record, one block's tables (65,536 variants) and the rows of one variant.
/// </summary>
public sealed class PgenReader : IGenotypeReader
{
    private readonly BinaryInput _input;
    private readonly PgenHeader _header;
    private readonly PvarReader _pvar;
    private readonly PgenBlock _block = new();
    private readonly PgenRecordDecoder _decoder;
    private readonly int _rowBytes;
    private byte[] _record = new byte[4096];
    private byte[] _rows;
    private VariantInfo[] _pending = [];
    private int _pendingIndex;
    private long _variantIndex;
    private long _nextRecord;

    private PgenReader(BinaryInput input, PgenHeader header, PvarReader pvar, IReadOnlyList<SampleInfo> samples)
    {
        _input = input;
        _header = header;
        _pvar = pvar;
        Samples = samples;
        _rowBytes = PackedGenotypes.RowBytes(samples.Count);
        _rows = new byte[_rowBytes];
        _decoder = new PgenRecordDecoder(samples.Count);
        _nextRecord = header.FixedStart;
    }

    public IReadOnlyList<SampleInfo> Samples { get; }

    public double Progress => _header.VariantCount == 0 ? 1 : (double)_variantIndex / _header.VariantCount;

    public static PgenReader Open(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        List<SampleInfo> samples = PsamFile.Read(prefix + ".psam");
        var input = new BinaryInput(prefix + ".pgen");
        PvarReader? pvar = null;
        try
        {
            PgenHeader header = PgenHeader.Read(input, samples.Count);
            if (header.SampleCount != samples.Count)
            {
                throw input.Error($"the header says {header.SampleCount} samples but {prefix}.psam lists {samples.Count}", 7);
            }
            pvar = PvarReader.Open(prefix);
            return new PgenReader(input, header, pvar, samples);
        }
        catch
        {
            pvar?.Dispose();
            input.Dispose();
            throw;
        }
    }

    public bool ReadNext([NotNullWhen(true)] out VariantInfo? variant, Span<byte> packedRow)
    {
        if (packedRow.Length != _rowBytes)
        {
            throw new ArgumentException($"row holds {packedRow.Length} bytes; {Samples.Count} samples need {_rowBytes}", nameof(packedRow));
        }
        if (_pendingIndex == _pending.Length && !ReadVariant())
        {
            variant = null;
            return false;
        }
        variant = _pending[_pendingIndex];
        _rows.AsSpan(_pendingIndex * _rowBytes, _rowBytes).CopyTo(packedRow);
        _pendingIndex++;
        return true;
    }

    private bool ReadVariant()
    {
        PvarRecord? line = _pvar.ReadNext();
        if (_variantIndex == _header.VariantCount)
        {
            if (line is not null)
            {
                throw new GenoFlowFormatException(_pvar.Path, $"more variants than the {_header.VariantCount} of {_input.Path}", _pvar.LineNumber);
            }
            return false;
        }
        if (line is null)
        {
            throw new GenoFlowFormatException(_pvar.Path, $"the file ends after {_variantIndex} variants but {_input.Path} holds {_header.VariantCount}");
        }
        int alleles = 1 + line.Alts.Length;
        if (alleles > 255)
        {
            throw new GenoFlowFormatException(_pvar.Path, $"{alleles} alleles; at most 255 are supported", _pvar.LineNumber, 5);
        }
        _pending = new VariantInfo[alleles - 1];
        for (int k = 0; k < _pending.Length; k++)
        {
            _pending[k] = new VariantInfo(line.Chrom, line.Position, line.Id, line.Ref, line.Alts[k], line.CentiMorgans);
        }
        _pendingIndex = 0;
        if (_rows.Length < _pending.Length * _rowBytes)
        {
            _rows = new byte[_pending.Length * _rowBytes];
        }
        DecodeRecord(alleles, line);
        _variantIndex++;
        return true;
    }

    private void DecodeRecord(int alleles, PvarRecord line)
    {
        Span<byte> rows = _rows.AsSpan(0, _pending.Length * _rowBytes);
        if (!_header.IsVariableWidth)
        {
            if (alleles != 2)
            {
                throw new GenoFlowFormatException(_pvar.Path, $"a multi-allelic variant in a fixed-width .pgen (mode {_header.Mode:x2}), which holds biallelic calls only", _pvar.LineNumber, 5);
            }
            _input.Seek(_nextRecord);
            _input.ReadExactly(_record.AsSpan(0, _rowBytes), $"variant {_variantIndex + 1}'s record");
            _nextRecord += _header.FixedWidth;
            if (_header.Mode == 0x01)
            {
                _record.AsSpan(0, _rowBytes).CopyTo(rows);
                PackedGenotypes.ClearTrailingBits(rows, Samples.Count);
            }
            else
            {
                _decoder.DecodePlain(_record, rows);
            }
            return;
        }
        int inBlock = (int)(_variantIndex % PgenHeader.BlockSize);
        if (inBlock == 0)
        {
            _nextRecord = _header.ReadBlock(_input, (int)(_variantIndex / PgenHeader.BlockSize), _block);
            _input.Seek(_nextRecord);
        }
        if (_header.AlleleCountsStored && _block.AlleleCounts[inBlock] != alleles)
        {
            throw new GenoFlowFormatException(_pvar.Path, $"{alleles} alleles but {_input.Path} stores {_block.AlleleCounts[inBlock]} for variant {_variantIndex + 1}", _pvar.LineNumber, 5);
        }
        int length = (int)_block.Lengths[inBlock];
        if (_record.Length < length)
        {
            _record = new byte[Math.Max(length, _record.Length * 2)];
        }
        long at = _input.Offset;
        _input.ReadExactly(_record.AsSpan(0, length), $"variant {_variantIndex + 1}'s record");
        int type = _block.Types[inBlock];
        try
        {
            _decoder.Decode(_record.AsSpan(0, length), type, alleles, rows);
        }
        catch (PgenFormatError e)
        {
            throw new GenoFlowFormatException(_input.Path, $"variant {_variantIndex + 1} ('{line.Id}', record type {type}): {e.Message}", byteOffset: at + e.OffsetInRecord, inner: e);
        }
    }

    public void Dispose()
    {
        _pvar.Dispose();
        _input.Dispose();
    }
}
