using System.Collections.Concurrent;
using GenoFlow.Core.Formats.Binary;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Bgen;

/// <summary>
/// Reads a BGEN file (v1.1, v1.2, v1.3; no, zlib or zstd compression; 1 to 32 bits; phased or not) as a stream of
/// biallelic hard calls. The first allele is REF (plink2's <c>ref-first</c>); see <see cref="HardCallRule"/> for how
/// probabilities become calls and <see cref="BgenGenotypeDecoder"/> for multi-allelic variants. Blocks are read in
/// order in batches of up to <see cref="BatchRows"/> rows and decompressed and decoded in parallel, so memory is a
/// batch of compressed blocks, a batch of packed rows and one decompressed block per core.
/// </summary>
public sealed class BgenReader : IGenotypeReader
{
    /// <summary>Rows per batch: enough blocks for every core to stay busy, a small fraction of a tile row.</summary>
    public const int BatchRows = 256;

    /// <summary>A batch stops growing once its compressed blocks reach this many bytes.</summary>
    private const int BatchBytes = 16 << 20;

    private readonly BinaryInput _input;
    private readonly BgenHeader _header;
    private readonly BgenBlockReader _blocks;
    private readonly HardCallRule _rule;
    private readonly int _rowBytes;
    private readonly ConcurrentBag<BgenGenotypeDecoder> _decoders = [];
    private BgenBlock[] _batch = new BgenBlock[BatchRows];
    private byte[] _stored = new byte[1 << 20];
    private byte[] _rows;
    private int _blockCount;
    private int _blockIndex;
    private int _altIndex;

    private BgenReader(BinaryInput input, BgenHeader header, IReadOnlyList<SampleInfo> samples, HardCallRule rule)
    {
        _input = input;
        _header = header;
        _rule = rule;
        Samples = samples;
        _rowBytes = PackedGenotypes.RowBytes(samples.Count);
        _rows = new byte[BatchRows * _rowBytes];
        _blocks = new BgenBlockReader(input, header);
    }

    public IReadOnlyList<SampleInfo> Samples { get; }

    public double Progress => _blocks.Progress;

    /// <summary>
    /// Opens <paramref name="path"/>, taking sample IDs from <paramref name="samplePath"/> (an Oxford .sample file) when
    /// given, else from the file's sample identifier block; when both exist they must agree.
    /// </summary>
    public static BgenReader Open(string path, string? samplePath = null, double hardCallThreshold = HardCallRule.DefaultThreshold)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var rule = new HardCallRule(hardCallThreshold);
        var input = new BinaryInput(path);
        try
        {
            BgenHeader header = BgenHeader.Read(input);
            IReadOnlyList<SampleInfo> samples = ResolveSamples(path, header, samplePath);
            input.Seek(header.FirstVariantOffset);
            return new BgenReader(input, header, samples, rule);
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    private static IReadOnlyList<SampleInfo> ResolveSamples(string path, BgenHeader header, string? samplePath)
    {
        if (samplePath is null)
        {
            if (header.SampleIds is null)
            {
                throw new GenoFlowFormatException(path, "the file has no sample identifier block (header flag bit 31 is clear); give the samples with --sample FILE", byteOffset: 4);
            }
            if (header.SampleCount == 0)
            {
                throw new GenoFlowFormatException(path, "the header lists no samples", byteOffset: 12);
            }
            return header.SampleIds.Select(SampleInfo.FromId).ToArray();
        }
        List<SampleInfo> samples = OxfordSampleFile.Read(samplePath);
        if (samples.Count != header.SampleCount)
        {
            throw new GenoFlowFormatException(samplePath, $"lists {samples.Count} samples but {path}'s header (byte offset 12) says {header.SampleCount}");
        }
        if (header.SampleIds is not null)
        {
            for (int i = 0; i < samples.Count; i++)
            {
                if (!string.Equals(samples[i].SampleId, header.SampleIds[i], StringComparison.Ordinal))
                {
                    throw new GenoFlowFormatException(samplePath, $"sample {i + 1} is '{samples[i].SampleId}' but {path}'s sample identifier block names it '{header.SampleIds[i]}'; the two must agree");
                }
            }
        }
        return samples;
    }

    public bool ReadNext([NotNullWhen(true)] out VariantInfo? variant, Span<byte> packedRow)
    {
        if (packedRow.Length != _rowBytes)
        {
            throw new ArgumentException($"row holds {packedRow.Length} bytes; {Samples.Count} samples need {_rowBytes}", nameof(packedRow));
        }
        if (_blockIndex >= _blockCount && !ReadBatch())
        {
            variant = null;
            return false;
        }
        ref BgenBlock block = ref _batch[_blockIndex];
        variant = block.Variants[_altIndex];
        _rows.AsSpan((block.FirstRow + _altIndex) * _rowBytes, _rowBytes).CopyTo(packedRow);
        if (++_altIndex == block.Variants.Length)
        {
            _altIndex = 0;
            _blockIndex++;
        }
        return true;
    }

    /// <summary>Reads the next blocks in file order, then decodes them in parallel; false at the end of the file.</summary>
    private bool ReadBatch()
    {
        _blockIndex = 0;
        _blockCount = 0;
        int used = 0;
        int rows = 0;
        while (rows < BatchRows && used < BatchBytes)
        {
            if (_blockCount == _batch.Length)
            {
                Array.Resize(ref _batch, _batch.Length * 2);
            }
            ref BgenBlock block = ref _batch[_blockCount];
            if (!_blocks.ReadNext(ref block, ref _stored, ref used))
            {
                break;
            }
            block.FirstRow = rows;
            rows += block.Variants.Length;
            _blockCount++;
        }
        if (_blockCount == 0)
        {
            return false;
        }
        if (_rows.Length < rows * _rowBytes)
        {
            _rows = new byte[rows * _rowBytes];
        }
        DecodeInParallel();
        return true;
    }

    private void DecodeInParallel()
    {
        BgenBlock[] batch = _batch;
        byte[] stored = _stored;
        byte[] rows = _rows;
        int rowBytes = _rowBytes;
        var errors = new GenoFlowFormatException?[_blockCount];
        Parallel.For(
            0,
            _blockCount,
            () => _decoders.TryTake(out BgenGenotypeDecoder? d) ? d : new BgenGenotypeDecoder(_input.Path, _header, _rule),
            (i, _, decoder) =>
            {
                ref BgenBlock block = ref batch[i];
                try
                {
                    decoder.Decode(block, stored.AsSpan(block.DataStart, block.DataLength), rows.AsSpan(block.FirstRow * rowBytes, block.Variants.Length * rowBytes));
                }
                catch (GenoFlowFormatException e)
                {
                    errors[i] = e;
                }
                return decoder;
            },
            _decoders.Add);
        foreach (GenoFlowFormatException? error in errors)
        {
            if (error is not null)
            {
                throw error;
            }
        }
    }

    public void Dispose()
    {
        _input.Dispose();
        while (_decoders.TryTake(out BgenGenotypeDecoder? decoder))
        {
            decoder.Dispose();
        }
    }
}
