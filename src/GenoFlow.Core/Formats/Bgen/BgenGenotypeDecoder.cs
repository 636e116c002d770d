using System.Buffers.Binary;
using System.IO.Compression;
using GenoFlow.Core.Genotypes;
using ZstdSharp;

namespace GenoFlow.Core.Formats.Bgen;

/// <summary>
/// Decompresses one genotype block and decodes its probabilities into packed hard-call rows, one per ALT allele
/// (a multi-allelic variant is split as VCF import splits it: in the row of ALT allele k every other allele counts
/// as REF, and the call is made from the expected count of allele k). One decoder per thread; its buffer is reused.
/// </summary>
internal sealed class BgenGenotypeDecoder : IDisposable
{
    private readonly string _path;
    private readonly BgenHeader _header;
    private readonly HardCallRule _rule;
    private readonly int _sampleCount;
    private readonly int _rowBytes;
    private byte[] _buffer = [];
    private Decompressor? _zstd;

    public BgenGenotypeDecoder(string path, BgenHeader header, HardCallRule rule)
    {
        _path = path;
        _header = header;
        _rule = rule;
        _sampleCount = header.SampleCount;
        _rowBytes = PackedGenotypes.RowBytes(header.SampleCount);
    }

    /// <summary>Decodes <paramref name="block"/> into <paramref name="rows"/> (AlleleCount − 1 packed rows, back to back).</summary>
    public void Decode(in BgenBlock block, ReadOnlySpan<byte> stored, Span<byte> rows)
    {
        ReadOnlySpan<byte> data = Decompress(block, stored);
        rows.Clear();
        if (_header.Layout == 1)
        {
            DecodeLayout1(data, rows);
            return;
        }
        var probabilities = new BgenProbabilities(_path, block, _rule, _sampleCount);
        probabilities.Decode(data, rows, _rowBytes);
    }

    private ReadOnlySpan<byte> Decompress(in BgenBlock block, ReadOnlySpan<byte> stored)
    {
        int expected = block.UncompressedLength;
        // 8 spare zero bytes let the bit reader load 64 bits at the last value.
        if (_buffer.Length < expected + 8)
        {
            _buffer = new byte[expected + 8];
        }
        if (_header.Compression == BgenCompression.None)
        {
            stored.CopyTo(_buffer);
            _buffer.AsSpan(expected, 8).Clear();
            return _buffer.AsSpan(0, expected + 8);
        }
        Span<byte> target = _buffer.AsSpan(0, expected);
        int produced;
        try
        {
            produced = _header.Compression == BgenCompression.Zlib ? Inflate(stored, target) : Unzstd(stored, target);
        }
        catch (Exception e) when (e is InvalidDataException or ZstdException)
        {
            throw new GenoFlowFormatException(_path, $"variant at byte {block.Offset}: the genotype block does not decompress ({_header.Compression}): {e.Message}", byteOffset: block.DataOffset, inner: e);
        }
        if (produced != expected)
        {
            string what = produced > expected ? $"more than the stated {expected} bytes" : $"{produced} bytes, not the stated {expected}";
            throw new GenoFlowFormatException(_path, $"variant at byte {block.Offset}: the genotype block decompresses to {what}", byteOffset: block.DataOffset);
        }
        _buffer.AsSpan(expected, 8).Clear();
        return _buffer.AsSpan(0, expected + 8);
    }

    /// <summary>Inflates into <paramref name="target"/>; returns target.Length + 1 when there is more output than room.</summary>
    private static unsafe int Inflate(ReadOnlySpan<byte> stored, Span<byte> target)
    {
        fixed (byte* source = stored)
        {
            using var input = new UnmanagedMemoryStream(source, stored.Length);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            int produced = zlib.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
            Span<byte> probe = stackalloc byte[1];
            return produced < target.Length || zlib.Read(probe) == 0 ? produced : target.Length + 1;
        }
    }

    private int Unzstd(ReadOnlySpan<byte> stored, Span<byte> target)
    {
        _zstd ??= new Decompressor();
        ulong size = Decompressor.GetDecompressedSize(stored);
        if (size != 0 && size != (ulong)target.Length)
        {
            return size > (ulong)target.Length ? target.Length + 1 : (int)size;
        }
        return _zstd.Unwrap(stored, target);
    }

    /// <summary>Layout 1: three 16-bit probabilities per sample (AA, AB, BB over 32768), A = REF.</summary>
    private void DecodeLayout1(ReadOnlySpan<byte> data, Span<byte> row)
    {
        for (int i = 0; i < _sampleCount; i++)
        {
            ReadOnlySpan<byte> p = data.Slice(6 * i, 6);
            byte code = _rule.CodeFromLayout1(BinaryPrimitives.ReadUInt16LittleEndian(p), BinaryPrimitives.ReadUInt16LittleEndian(p[2..]), BinaryPrimitives.ReadUInt16LittleEndian(p[4..]));
            row[i >> 2] |= (byte)(code << ((i & 3) << 1));
        }
    }

    public void Dispose() => _zstd?.Dispose();
}
