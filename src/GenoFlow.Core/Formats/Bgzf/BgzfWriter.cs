using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace GenoFlow.Core.Formats.Bgzf;

/// <summary>
/// Writes BGZF (SAM spec §4.1), readable by <c>bgzip -d</c>, htslib and <see cref="CompressedInput"/>: blocks of at most
/// <see cref="MaxBlockInput"/> input bytes, compressed in parallel on the thread pool and written in order, then the EOF
/// marker block on <see cref="Stream.Dispose()"/>. <see cref="Flush"/> ends the current block early.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Named after the format's writer, like StreamWriter; it is used as a Stream sink.")]
public sealed class BgzfWriter : Stream
{
    /// <summary>Input bytes per block, as bgzip uses, so that even incompressible data fits a 64 KiB block.</summary>
    public const int MaxBlockInput = 0xff00;

    private static readonly int MaxBlocksInFlight = Math.Clamp(Environment.ProcessorCount * 4, 8, 32);

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly int _level;
    private readonly bool _writeEofMarker;
    private readonly Queue<Task<CompressedBlock>> _pending = new();
    private byte[] _block = ArrayPool<byte>.Shared.Rent(MaxBlockInput);
    private int _blockLength;
    private bool _disposed;

    /// <param name="output">Where the BGZF bytes go.</param>
    /// <param name="compressionLevel">zlib level 0..9; bgzip's default is 6, 1 is several times faster.</param>
    /// <param name="leaveOpen">Keep <paramref name="output"/> open after disposal.</param>
    public BgzfWriter(Stream output, int compressionLevel = 6, bool leaveOpen = false)
        : this(output, compressionLevel, leaveOpen, writeEofMarker: true)
    {
    }

    /// <param name="writeEofMarker">False for a part that other BGZF blocks will follow (BGZF files concatenate).</param>
    internal BgzfWriter(Stream output, int compressionLevel, bool leaveOpen, bool writeEofMarker)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(compressionLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compressionLevel, 9);
        _output = output;
        _level = compressionLevel;
        _leaveOpen = leaveOpen;
        _writeEofMarker = writeEofMarker;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_disposed;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, MaxBlockInput - _blockLength);
            buffer[..n].CopyTo(_block.AsSpan(_blockLength));
            _blockLength += n;
            buffer = buffer[n..];
            if (_blockLength == MaxBlockInput)
            {
                SubmitBlock();
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Compresses what is buffered as a (possibly short) block and writes all finished blocks.</summary>
    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_blockLength > 0)
        {
            SubmitBlock();
        }
        DrainAll();
        _output.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            try
            {
                if (_blockLength > 0)
                {
                    SubmitBlock();
                }
                DrainAll();
                if (_writeEofMarker)
                {
                    _output.Write(GzipHeader.BgzfEofBlock);
                }
                _output.Flush();
            }
            finally
            {
                _disposed = true;
                ArrayPool<byte>.Shared.Return(_block);
                _block = [];
                if (!_leaveOpen)
                {
                    _output.Dispose();
                }
            }
        }
        base.Dispose(disposing);
    }

    private void SubmitBlock()
    {
        byte[] input = _block;
        int inputLength = _blockLength;
        int level = _level;
        _pending.Enqueue(Task.Run(() => Compress(input, inputLength, level)));
        _block = ArrayPool<byte>.Shared.Rent(MaxBlockInput);
        _blockLength = 0;
        while (_pending.Count >= MaxBlocksInFlight)
        {
            WriteOldest();
        }
    }

    private void DrainAll()
    {
        while (_pending.Count > 0)
        {
            WriteOldest();
        }
    }

    private void WriteOldest()
    {
        CompressedBlock block = _pending.Dequeue().GetAwaiter().GetResult();
        try
        {
            _output.Write(block.Data, 0, block.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block.Data);
        }
    }

    /// <summary>One complete BGZF block for <paramref name="input"/>[..<paramref name="length"/>]; returns the input array to the pool.</summary>
    internal static CompressedBlock Compress(byte[] input, int length, int level)
    {
        byte[] output = ArrayPool<byte>.Shared.Rent(GzipHeader.MaxBgzfBlockSize);
        try
        {
            int deflated = Deflate(input.AsSpan(0, length), output, level);
            if (deflated < 0)
            {
                deflated = Deflate(input.AsSpan(0, length), output, 0);
                Debug.Assert(deflated >= 0, "stored deflate of at most 0xff00 bytes fits a block");
            }
            int blockSize = GzipHeader.BgzfHeaderLength + deflated + GzipHeader.TrailerLength;
            Span<byte> header = output.AsSpan(0, GzipHeader.BgzfHeaderLength);
            GzipHeader.BgzfEofBlock[..16].CopyTo(header);
            BinaryPrimitives.WriteUInt16LittleEndian(header[16..], (ushort)(blockSize - 1));
            Span<byte> trailer = output.AsSpan(blockSize - GzipHeader.TrailerLength, GzipHeader.TrailerLength);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.HashToUInt32(input.AsSpan(0, length)));
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)length);
            return new CompressedBlock(output, blockSize);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(output);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    /// <summary>Raw deflate into the payload area of <paramref name="block"/>; -1 when it does not fit.</summary>
    private static int Deflate(ReadOnlySpan<byte> input, byte[] block, int level)
    {
        int capacity = GzipHeader.MaxBgzfBlockSize - GzipHeader.BgzfHeaderLength - GzipHeader.TrailerLength;
        using var payload = new MemoryStream(block, GzipHeader.BgzfHeaderLength, capacity, writable: true);
        try
        {
            using (var deflater = new DeflateStream(payload, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
            {
                deflater.Write(input);
            }
            return (int)payload.Position;
        }
        catch (NotSupportedException)
        {
            return -1;
        }
    }

    internal readonly record struct CompressedBlock(byte[] Data, int Length);
}
