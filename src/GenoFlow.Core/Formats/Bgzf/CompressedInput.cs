namespace GenoFlow.Core.Formats.Bgzf;

/// <summary>
/// Opens a file that may be plain, gzip (one or more members) or BGZF, telling them apart by content (the gzip magic
/// 1f 8b and, for BGZF, the 'BC' subfield in the first member's extra field), never by file name.
/// </summary>
public static class CompressedInput
{
    /// <summary>
    /// Returns a forward-only stream of the decompressed bytes. BGZF blocks are inflated in parallel with bounded read-ahead.
    /// Truncation, corrupt data, CRC32/ISIZE mismatches and trailing garbage raise <see cref="GenoFlowFormatException"/>
    /// with the byte offset in the compressed file.
    /// </summary>
    public static Stream Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        try
        {
            long length = RandomAccess.GetLength(handle);
            if (length == 0)
            {
                throw new GenoFlowFormatException(path, "file is empty", byteOffset: 0);
            }
            Span<byte> head = stackalloc byte[256];
            int got = RandomAccess.Read(handle, head, 0);
            head = head[..got];
            if (!GzipHeader.HasMagic(head))
            {
                return new PlainFileInput(handle, length);
            }
            int bgzfBlockSize = GzipHeader.FindBgzfBlockSize(head);
            if (bgzfBlockSize == -2 && got < head.Length)
            {
                throw new GenoFlowFormatException(path, "gzip file is truncated: it ends inside the first header", byteOffset: got);
            }
            return bgzfBlockSize > 0
                ? new BgzfReadStream(path, handle, length)
                : new GzipMembersStream(path, handle, length);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Fraction of the compressed file consumed so far by a stream from <see cref="Open"/>; 0 for other streams.</summary>
    internal static double ProgressOf(Stream stream) => stream is ReadOnlyInputStream input ? input.Progress : 0;
}
