using GenoFlow.Core.Formats.Bgzf;

namespace GenoFlow.Core.Formats.Vcf;

/// <summary>One open VCF file: its decompressed bytes as chunks of whole lines, and the number of lines consumed.</summary>
internal sealed class VcfInputFile : IDisposable
{
    private const int ChunkBytes = 4 << 20;

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private readonly Stream _stream;
    private readonly LineChunkReader _lines;
    private ReadOnlyMemory<byte> _chunk;
    private int _chunkPosition;
    private Task<ReadOnlyMemory<byte>>? _prefetch;

    private VcfInputFile(string path, Stream stream, long maxLineBytes)
    {
        Path = path;
        _stream = stream;
        _lines = new LineChunkReader(stream, ChunkBytes, maxLineBytes);
    }

    public string Path { get; }

    public VcfHeader Header { get; private set; } = null!;

    /// <summary>Number of lines handed out so far (the 1-based number of the last one).</summary>
    public long LinesRead { get; private set; }

    public double Progress => CompressedInput.ProgressOf(_stream);

    /// <summary>Opens <paramref name="path"/> and reads its header up to and including the #CHROM line.</summary>
    public static VcfInputFile Open(string path, long maxLineBytes)
    {
        var file = new VcfInputFile(path, CompressedInput.Open(path), maxLineBytes);
        try
        {
            file.ReadHeader();
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private void ReadHeader()
    {
        while (TryReadLine(out ReadOnlySpan<byte> line))
        {
            if (line.StartsWith("##"u8))
            {
                continue;
            }
            if (line.StartsWith("#CHROM"u8))
            {
                Header = VcfHeader.Parse(Path, line, LinesRead);
                return;
            }
            if (line.IsEmpty)
            {
                continue;
            }
            string problem = line[0] == (byte)'#'
                ? "unexpected header line; expected '##' meta lines, then the #CHROM line"
                : "data line before the #CHROM header line";
            throw new GenoFlowFormatException(Path, problem, LinesRead, 1);
        }
        throw _lines.WasEmpty
            ? new GenoFlowFormatException(Path, "file is empty", byteOffset: 0)
            : new GenoFlowFormatException(Path, "missing #CHROM header line (the file has no line starting with #CHROM)", LinesRead);
    }

    private bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        if (_chunkPosition >= _chunk.Length)
        {
            NextChunk();
            if (_chunk.IsEmpty)
            {
                line = default;
                return false;
            }
        }
        ReadOnlySpan<byte> rest = _chunk.Span[_chunkPosition..];
        int newline = rest.IndexOf((byte)'\n');
        line = newline < 0 ? rest : rest[..newline];
        _chunkPosition += newline < 0 ? rest.Length : newline + 1;
        line = line.EndsWith("\r"u8) ? line[..^1] : line;
        if (LinesRead == 0 && line.StartsWith(Utf8ByteOrderMark))
        {
            // Editors on Windows start text files with one; it is not part of ##fileformat.
            line = line[Utf8ByteOrderMark.Length..];
        }
        LinesRead++;
        return true;
    }

    /// <summary>
    /// Splits the next run of whole lines into <paramref name="records"/> (start, length, line number; blank lines skipped) and
    /// returns the bytes they index; empty at the end of the file.
    /// </summary>
    public ReadOnlyMemory<byte> NextBatch(ref ParsedRecord[] records, out int count)
    {
        count = 0;
        while (true)
        {
            if (_chunkPosition >= _chunk.Length)
            {
                NextChunk();
                if (_chunk.IsEmpty)
                {
                    return default;
                }
            }
            ReadOnlySpan<byte> span = _chunk.Span;
            int p = _chunkPosition;
            while (p < span.Length)
            {
                int newline = span[p..].IndexOf((byte)'\n');
                int end = newline < 0 ? span.Length : p + newline;
                int length = end - p;
                if (length > 0 && span[end - 1] == (byte)'\r')
                {
                    length--;
                }
                LinesRead++;
                if (length > 0)
                {
                    if (count == records.Length)
                    {
                        Array.Resize(ref records, Math.Max(1024, records.Length * 2));
                    }
                    records[count++] = new ParsedRecord { Start = p, Length = length, LineNumber = LinesRead };
                }
                p = end + 1;
            }
            _chunkPosition = span.Length;
            if (count > 0)
            {
                return _chunk;
            }
        }
    }

    /// <summary>
    /// Moves to the next chunk and starts reading (and, for BGZF, inflating) the one after it in the background, so that
    /// input overlaps parsing. Errors of the background read surface here, in input order.
    /// </summary>
    private void NextChunk()
    {
        try
        {
            _chunk = _prefetch is null ? _lines.Next() : _prefetch.GetAwaiter().GetResult();
        }
        catch (LineTooLongException e)
        {
            // Every line before it has been handed out: the long one is the next.
            _prefetch = null;
            throw new GenoFlowFormatException(Path, $"line longer than the limit of {e.Limit:N0} bytes (import --max-line-mb); is this a VCF?", LinesRead + 1, inner: e);
        }
        _chunkPosition = 0;
        _prefetch = _chunk.IsEmpty ? null : Task.Run(_lines.Next);
    }

    public void Dispose()
    {
        try
        {
            _prefetch?.Wait();
        }
        catch (AggregateException)
        {
            // The background read failed after the caller stopped reading; nothing is waiting for its result.
        }
        finally
        {
            _prefetch = null;
            _stream.Dispose();
        }
    }
}
