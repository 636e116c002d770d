using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace GenoFlow.Core.Formats.Bgzf;

/// <summary>
/// Decompresses a plain (non-BGZF) gzip file of one or more members, checking what <see cref="GZipStream"/> does not:
/// truncation, each member's CRC32 and ISIZE, and garbage after a member.
/// </summary>
/// <remarks>
/// <see cref="DeflateStream"/> does not say where its deflate data ended. It asks its input for more only after consuming
/// everything it was given, so the end lies inside the last chunk it read; the member trailer (CRC32 and ISIZE of the output,
/// which we compute) follows right after, and is found by matching those 8 bytes within that chunk.
/// </remarks>
internal sealed class GzipMembersStream(string path, SafeFileHandle handle, long length) : ReadOnlyInputStream
{
    private readonly Crc32 _crc = new();
    private long _memberStart;
    private long _memberOutput;
    private TrackingInput? _input;
    private DeflateStream? _inflater;
    private bool _done;

    public override double Progress => length == 0 ? 1 : (double)(_input?.Offset ?? _memberStart) / length;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        while (!_done)
        {
            if (_inflater is null)
            {
                StartMember();
            }
            Debug.Assert(_inflater is not null && _input is not null);
            int n;
            try
            {
                n = _inflater.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new GenoFlowFormatException(path, $"corrupt deflate data in the gzip member starting at byte offset {_memberStart}", byteOffset: _input.LastReadStart, inner: e);
            }
            if (n > 0)
            {
                _crc.Append(buffer[..n]);
                _memberOutput += n;
                return n;
            }
            FinishMember();
        }
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater?.Dispose();
            handle.Dispose();
        }
        base.Dispose(disposing);
    }

    private void StartMember()
    {
        long offset = _memberStart;
        Span<byte> fixedPart = stackalloc byte[GzipHeader.FixedLength];
        ReadExactly(fixedPart, offset, "gzip header");
        if (!GzipHeader.HasMagic(fixedPart))
        {
            throw new GenoFlowFormatException(path, "unexpected data after a gzip member (not a gzip header)", byteOffset: offset);
        }
        var flags = (GzipHeader.Flags)fixedPart[3];
        if (fixedPart[2] != GzipHeader.DeflateMethod || (flags & GzipHeader.Flags.Reserved) != 0)
        {
            throw new GenoFlowFormatException(path, $"unsupported gzip header (method {fixedPart[2]}, flags {fixedPart[3]:x2})", byteOffset: offset);
        }
        long p = offset + GzipHeader.FixedLength;
        Span<byte> two = stackalloc byte[2];
        if ((flags & GzipHeader.Flags.Extra) != 0)
        {
            ReadExactly(two, p, "gzip header");
            p += 2 + BinaryPrimitives.ReadUInt16LittleEndian(two);
        }
        if ((flags & GzipHeader.Flags.Name) != 0)
        {
            p = SkipZeroTerminated(p);
        }
        if ((flags & GzipHeader.Flags.Comment) != 0)
        {
            p = SkipZeroTerminated(p);
        }
        if ((flags & GzipHeader.Flags.HeaderCrc) != 0)
        {
            p += 2;
        }
        if (p >= length)
        {
            throw new GenoFlowFormatException(path, $"gzip file is truncated: it ends inside the header of the member at byte offset {offset}", byteOffset: length);
        }
        _crc.Reset();
        _memberOutput = 0;
        _input = new TrackingInput(handle, p);
        _inflater = new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);
    }

    private void FinishMember()
    {
        Debug.Assert(_input is not null && _inflater is not null);
        if (_input.HitEndOfFile)
        {
            throw new GenoFlowFormatException(path, $"gzip file is truncated: it ends inside the deflate data of the member starting at byte offset {_memberStart}", byteOffset: length);
        }
        Span<byte> expected = stackalloc byte[GzipHeader.TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(expected, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], (uint)_memberOutput);
        long windowStart = _input.LastReadStart;
        long lastReadEnd = _input.LastReadEnd;
        long windowEnd = Math.Min(length, lastReadEnd + GzipHeader.TrailerLength);
        byte[] window = new byte[windowEnd - windowStart];
        int got = RandomAccess.Read(handle, window, windowStart);
        int at = window.AsSpan(0, got).IndexOf(expected);
        _inflater.Dispose();
        _inflater = null;
        _input = null;
        if (at < 0)
        {
            if (EndsWithPrefixOf(window.AsSpan(0, got), expected, windowEnd == length))
            {
                throw new GenoFlowFormatException(path, $"gzip file is truncated: it ends inside the trailer of the member starting at byte offset {_memberStart}", byteOffset: length);
            }
            throw new GenoFlowFormatException(path, $"gzip member starting at byte offset {_memberStart}: no CRC32/ISIZE trailer matches the decompressed data (corrupt or truncated)", byteOffset: _memberStart);
        }
        long next = windowStart + at + GzipHeader.TrailerLength;
        if (next == length)
        {
            _done = true;
            return;
        }
        _memberStart = next;
    }

    /// <summary>True when the file ends with the first 1..7 bytes of the expected trailer.</summary>
    private static bool EndsWithPrefixOf(ReadOnlySpan<byte> window, ReadOnlySpan<byte> trailer, bool windowReachesEnd)
    {
        if (!windowReachesEnd)
        {
            return false;
        }
        for (int k = Math.Min(window.Length, trailer.Length - 1); k >= 1; k--)
        {
            if (window[^k..].SequenceEqual(trailer[..k]))
            {
                return true;
            }
        }
        return false;
    }

    private void ReadExactly(Span<byte> destination, long offset, string what)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int n = RandomAccess.Read(handle, destination[total..], offset + total);
            if (n == 0)
            {
                if (total >= 2 && !GzipHeader.HasMagic(destination[..total]))
                {
                    throw new GenoFlowFormatException(path, "unexpected data after a gzip member (not a gzip header)", byteOffset: offset);
                }
                throw new GenoFlowFormatException(path, $"gzip file is truncated: it ends inside a {what}", byteOffset: offset + total);
            }
            total += n;
        }
    }

    private long SkipZeroTerminated(long p)
    {
        Span<byte> chunk = stackalloc byte[256];
        while (true)
        {
            int n = RandomAccess.Read(handle, chunk, p);
            if (n == 0)
            {
                throw new GenoFlowFormatException(path, "gzip file is truncated: it ends inside a gzip header", byteOffset: p);
            }
            int zero = chunk[..n].IndexOf((byte)0);
            if (zero >= 0)
            {
                return p + zero + 1;
            }
            p += n;
        }
    }

    /// <summary>The file from a given offset, remembering where its last read began and ended.</summary>
    private sealed class TrackingInput(SafeFileHandle handle, long start) : ReadOnlyInputStream
    {
        public long Offset { get; private set; } = start;
        public long LastReadStart { get; private set; } = start;
        public long LastReadEnd { get; private set; } = start;
        public bool HitEndOfFile { get; private set; }

        public override double Progress => 0;

        public override int Read(Span<byte> buffer)
        {
            int n = RandomAccess.Read(handle, buffer, Offset);
            if (n == 0)
            {
                HitEndOfFile = true;
                return 0;
            }
            LastReadStart = Offset;
            Offset += n;
            LastReadEnd = Offset;
            return n;
        }
    }
}
