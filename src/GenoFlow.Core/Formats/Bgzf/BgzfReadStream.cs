using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace GenoFlow.Core.Formats.Bgzf;

/// <summary>
/// Decompresses a BGZF file: blocks are read in order by their BSIZE and inflated on the thread pool, at most
/// <see cref="MaxBlocksInFlight"/> at a time (bounded read-ahead of 64 KiB each), and handed out in file order.
/// A problem in block k surfaces only after blocks 0..k-1 were read, so errors are reported in input order.
/// </summary>
internal sealed class BgzfReadStream(string path, SafeFileHandle handle, long length) : ReadOnlyInputStream
{
    private static readonly int MaxBlocksInFlight = Math.Clamp(Environment.ProcessorCount * 8, 16, 64);

    private readonly Queue<Task<DecodedBlock>> _pending = new();
    private long _nextBlockOffset;
    private bool _rawDone;
    private bool _lastBlockEmpty;
    private DecodedBlock _current;
    private int _currentPosition;

    public override double Progress => length == 0 ? 1 : (double)_nextBlockOffset / length;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        while (true)
        {
            if (_currentPosition < _current.Length)
            {
                int n = Math.Min(buffer.Length, _current.Length - _currentPosition);
                _current.Data.AsSpan(_currentPosition, n).CopyTo(buffer);
                _currentPosition += n;
                return n;
            }
            ReleaseCurrent();
            FillPipeline();
            if (!_pending.TryDequeue(out Task<DecodedBlock>? next))
            {
                return 0;
            }
            _current = next.GetAwaiter().GetResult();
            _currentPosition = 0;
            FillPipeline();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rawDone = true;
            ReleaseCurrent();
            handle.Dispose();
        }
        base.Dispose(disposing);
    }

    private void ReleaseCurrent()
    {
        if (_current.Data is not null)
        {
            ArrayPool<byte>.Shared.Return(_current.Data);
        }
        _current = default;
        _currentPosition = 0;
    }

    private void FillPipeline()
    {
        while (!_rawDone && _pending.Count < MaxBlocksInFlight)
        {
            Task<DecodedBlock>? task = StartNextBlock();
            if (task is null)
            {
                break;
            }
            _pending.Enqueue(task);
        }
    }

    /// <summary>Reads the next raw block and starts inflating it; null at a clean end of file.</summary>
    private Task<DecodedBlock>? StartNextBlock()
    {
        long offset = _nextBlockOffset;
        if (offset == length)
        {
            _rawDone = true;
            return _lastBlockEmpty
                ? null
                : Fail(offset, "BGZF file is truncated: it ends without the 28-byte EOF marker block");
        }
        Span<byte> header = stackalloc byte[GzipHeader.BgzfHeaderLength];
        int got = RandomAccess.Read(handle, header, offset);
        if (got < header.Length)
        {
            if (!GzipHeader.HasMagic(header[..got]) && got >= 2)
            {
                return Fail(offset, "unexpected data after the last BGZF block (not a gzip header)");
            }
            return Fail(offset, $"BGZF file is truncated: the block header at byte offset {offset} is incomplete");
        }
        int blockSize = GzipHeader.FindBgzfBlockSize(header);
        if (blockSize < 0)
        {
            return GzipHeader.HasMagic(header)
                ? Fail(offset, "gzip member without the BGZF 'BC' field inside a BGZF file (mixed compression is not supported)")
                : Fail(offset, "unexpected data after the last BGZF block (not a gzip header)");
        }
        const GzipHeader.Flags unsupported = GzipHeader.Flags.Name | GzipHeader.Flags.Comment | GzipHeader.Flags.HeaderCrc | GzipHeader.Flags.Reserved;
        if (((GzipHeader.Flags)header[3] & unsupported) != 0)
        {
            return Fail(offset, $"BGZF block with unsupported gzip header flags {header[3]:x2} (expected only FEXTRA)");
        }
        int xlen = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        int headerLength = 12 + xlen;
        if (blockSize < headerLength + GzipHeader.TrailerLength + 2)
        {
            return Fail(offset, $"BGZF block BSIZE {blockSize - 1} is too small for a block");
        }
        if (offset + blockSize > length)
        {
            return Fail(offset, $"BGZF file is truncated: the block at byte offset {offset} promises {blockSize} bytes but only {length - offset} remain");
        }
        byte[] raw = ArrayPool<byte>.Shared.Rent(blockSize);
        int read = RandomAccess.Read(handle, raw.AsSpan(0, blockSize), offset);
        if (read < blockSize)
        {
            ArrayPool<byte>.Shared.Return(raw);
            return Fail(offset, $"BGZF file is truncated: the block at byte offset {offset} promises {blockSize} bytes but only {read} could be read");
        }
        _nextBlockOffset = offset + blockSize;
        int isize = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(blockSize - 4));
        _lastBlockEmpty = isize == 0;
        return Task.Run(() => Decode(raw, offset, headerLength, blockSize));
    }

    private Task<DecodedBlock> Fail(long offset, string problem)
    {
        _rawDone = true;
        return Task.FromException<DecodedBlock>(new GenoFlowFormatException(path, problem, byteOffset: offset));
    }

    private DecodedBlock Decode(byte[] raw, long offset, int headerLength, int blockSize)
    {
        try
        {
            uint expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(blockSize - 8));
            uint isize = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(blockSize - 4));
            if (isize > GzipHeader.MaxBgzfBlockSize)
            {
                throw new GenoFlowFormatException(path, $"corrupt BGZF block: ISIZE {isize} exceeds 65536", byteOffset: offset);
            }
            byte[] output = ArrayPool<byte>.Shared.Rent((int)isize + 1);
            int total = 0;
            try
            {
                using var compressed = new MemoryStream(raw, headerLength, blockSize - headerLength - GzipHeader.TrailerLength, writable: false);
                using var inflater = new DeflateStream(compressed, CompressionMode.Decompress);
                int n;
                while (total <= isize && (n = inflater.Read(output, total, (int)isize + 1 - total)) > 0)
                {
                    total += n;
                }
            }
            catch (InvalidDataException e)
            {
                ArrayPool<byte>.Shared.Return(output);
                throw new GenoFlowFormatException(path, $"corrupt deflate data in the BGZF block at byte offset {offset}", byteOffset: offset, inner: e);
            }
            if (total != isize)
            {
                ArrayPool<byte>.Shared.Return(output);
                throw new GenoFlowFormatException(path, $"corrupt BGZF block: it inflates to {(total > isize ? "more than " + isize : total)} bytes but ISIZE says {isize}", byteOffset: offset);
            }
            uint actualCrc = Crc32.HashToUInt32(output.AsSpan(0, total));
            if (actualCrc != expectedCrc)
            {
                ArrayPool<byte>.Shared.Return(output);
                throw new GenoFlowFormatException(path, $"corrupt BGZF block: CRC32 of the data is {actualCrc:x8} but the block says {expectedCrc:x8}", byteOffset: offset);
            }
            return new DecodedBlock(output, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    private readonly record struct DecodedBlock(byte[] Data, int Length);
}
