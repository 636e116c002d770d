namespace GenoFlow.Core.Formats.Vcf;

/// <summary>
/// Reads a stream in large chunks that always end at a line end ('\n'), or at the end of input for a last line without one.
/// A chunk stays valid until the next call; a line longer than the buffer grows it.
/// </summary>
internal sealed class LineChunkReader(Stream input, int chunkBytes)
{
    private byte[] _buffer = new byte[chunkBytes];
    private int _start;
    private int _end;
    private bool _endOfInput;

    /// <summary>True once the input yielded no bytes at all.</summary>
    public bool WasEmpty { get; private set; } = true;

    /// <summary>The next run of complete lines; empty at the end of input.</summary>
    public ReadOnlyMemory<byte> Next()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        int searchFrom = 0;
        while (true)
        {
            while (!_endOfInput && _end < _buffer.Length)
            {
                int n = input.Read(_buffer, _end, _buffer.Length - _end);
                if (n == 0)
                {
                    _endOfInput = true;
                    break;
                }
                WasEmpty = false;
                _end += n;
            }
            int lastNewline = _buffer.AsSpan(searchFrom, _end - searchFrom).LastIndexOf((byte)'\n');
            if (lastNewline >= 0)
            {
                _start = searchFrom + lastNewline + 1;
                return _buffer.AsMemory(0, _start);
            }
            if (_endOfInput)
            {
                _start = _end;
                return _buffer.AsMemory(0, _end);
            }
            searchFrom = _end;
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }
}
