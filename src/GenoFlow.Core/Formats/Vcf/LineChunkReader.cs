namespace GenoFlow.Core.Formats.Vcf;

/// <summary>
/// Reads a stream in large chunks that always end at a line end ('\n'), or at the end of input for a last line without one.
/// Two buffers alternate, so the chunk from one call stays valid while the next call runs (on another thread, one call at a
/// time); it is overwritten by the call after that. A line longer than the buffer grows it.
/// </summary>
internal sealed class LineChunkReader(Stream input, int chunkBytes)
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
            Array.Resize(ref _buffers[_current], buffer.Length * 2);
            buffer = _buffers[_current];
        }
    }
}
