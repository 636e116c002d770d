namespace GenoFlow.Core.Formats.Vcf;

/// <summary>
/// Reads a stream in large chunks that always end at a line end ('\n'), or at the end of input for a last line without one.
/// Two buffers alternate, so the chunk from one call stays valid while the next call runs (on another thread, one call at a
/// time); it is overwritten by the call after that. A line longer than the buffer grows it, up to
/// <paramref name="maxLineBytes"/>: past that, <see cref="LineTooLongException"/>, so memory stays bounded whatever a
/// compressed input inflates to.
/// </summary>
internal sealed class LineChunkReader(Stream input, int chunkBytes, long maxLineBytes)
{
    private readonly byte[][] _buffers = [new byte[chunkBytes], new byte[chunkBytes]];
    private int _current;
    private int _tailStart;
    private int _tailEnd;
    private bool _endOfInput;

    /// <summary>True while the input has yielded no bytes at all.</summary>
    public bool WasEmpty { get; private set; } = true;

    /// <summary>The next run of complete lines; empty at the end of input.</summary>
    public ReadOnlyMemory<byte> Next()
    {
        byte[] previous = _buffers[_current];
        _current ^= 1;
        byte[] buffer = _buffers[_current];
        int end = _tailEnd - _tailStart;
        if (buffer.Length < Math.Max(chunkBytes, 2 * end))
        {
            buffer = _buffers[_current] = new byte[Math.Max(chunkBytes, 2 * end)];
        }
        previous.AsSpan(_tailStart, end).CopyTo(buffer);
        int searchFrom = 0;
        while (true)
        {
            while (!_endOfInput && end < buffer.Length)
            {
                int n = input.Read(buffer, end, buffer.Length - end);
                if (n == 0)
                {
                    _endOfInput = true;
                    break;
                }
                WasEmpty = false;
                end += n;
            }
            int lastNewline = buffer.AsSpan(searchFrom, end - searchFrom).LastIndexOf((byte)'\n');
            if (lastNewline >= 0 || _endOfInput)
            {
                int chunkEnd = lastNewline >= 0 ? searchFrom + lastNewline + 1 : end;
                _tailStart = chunkEnd;
                _tailEnd = end;
                return buffer.AsMemory(0, chunkEnd);
            }
            searchFrom = end;
            // No line end in the whole buffer: it holds one unfinished line, already `end` bytes long.
            if (end > maxLineBytes)
            {
                throw new LineTooLongException(maxLineBytes);
            }
            long grown = Math.Min(Math.Min((long)buffer.Length * 2, maxLineBytes + 1), Array.MaxLength);
            Array.Resize(ref _buffers[_current], (int)grown);
            buffer = _buffers[_current];
        }
    }
}

/// <summary>A line longer than the reader's limit; the caller knows the file and line number.</summary>
internal sealed class LineTooLongException(long limit) : Exception($"line longer than {limit} bytes")
{
    public long Limit { get; } = limit;
}
