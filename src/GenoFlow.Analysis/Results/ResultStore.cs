using System.Buffers.Binary;
using System.IO.Hashing;

namespace GenoFlow.Analysis.Results;

/// <summary>
/// Partial results of tile operations kept on disk by <see cref="ResultKey"/>, one file per entry, bounded in bytes with
/// the least recently used entries evicted (a file's modification time is its last use: reads touch it). Only the
/// job's coordinator process reads and writes it; workers never see it. Several jobs may share a store: entries are
/// written to a temporary file and renamed into place, and a reader checks each entry's key and checksum, so a
/// truncated, damaged or foreign entry is deleted and recomputed, never used.
/// <code>
/// entry: "GFRS" | uint32 format (1) | 16-byte key | int64 payload length | uint64 xxh3 of payload | payload   (little-endian)
/// </code>
/// </summary>
public sealed class ResultStore
{
    public const string EntryExtension = ".partial";
    private const int FormatVersion = 1;
    private const int HeaderBytes = 40;
    private static ReadOnlySpan<byte> Magic => "GFRS"u8;

    /// <summary>A temporary file older than this was left by a process that died writing it.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private long? _bytes;

    public ResultStore(string directory, long capacityBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        Directory = Path.GetFullPath(directory);
        CapacityBytes = capacityBytes;
    }

    public string Directory { get; }

    public long CapacityBytes { get; }

    /// <summary>Whether an entry is there (not yet whether it is whole: <see cref="TryRead"/> checks); marks it used.</summary>
    public bool Contains(ResultKey key)
    {
        string path = PathOf(key);
        if (!File.Exists(path))
        {
            return false;
        }
        return Touch(path);
    }

    /// <summary>The entry's payload, or null when it is missing or was bad (then it is deleted).</summary>
    public byte[]? TryRead(ResultKey key)
    {
        string path = PathOf(key);
        byte[] payload;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long length = stream.Length;
            if (length < HeaderBytes || length - HeaderBytes > CapacityBytes)
            {
                return Discard(path);
            }
            Span<byte> header = stackalloc byte[HeaderBytes];
            stream.ReadExactly(header);
            if (!header[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != FormatVersion
                || BinaryPrimitives.ReadUInt128LittleEndian(header[8..]) != key.Value
                || BinaryPrimitives.ReadInt64LittleEndian(header[24..]) != length - HeaderBytes)
            {
                return Discard(path);
            }
            payload = GC.AllocateUninitializedArray<byte>(checked((int)(length - HeaderBytes)));
            stream.ReadExactly(payload);
            if (XxHash3.HashToUInt64(payload) != BinaryPrimitives.ReadUInt64LittleEndian(header[32..]))
            {
                return Discard(path);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or EndOfStreamException)
        {
            return null;
        }
        Touch(path);
        return payload;
    }

    /// <summary>Stores <paramref name="payload"/> under <paramref name="key"/> (one larger than the whole store is not kept), then evicts down to the bound.</summary>
    public void Write(ResultKey key, ReadOnlySpan<byte> payload)
    {
        long size = HeaderBytes + (long)payload.Length;
        if (size > CapacityBytes)
        {
            return;
        }
        string target = PathOf(key);
        string temporary = $"{target}.tmp-{Guid.NewGuid():N}";
        Span<byte> header = stackalloc byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], FormatVersion);
        BinaryPrimitives.WriteUInt128LittleEndian(header[8..], key.Value);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], XxHash3.HashToUInt64(payload));
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(header);
                stream.Write(payload);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"result store {Directory}: {e.Message} (name a writable result store, or run without one)", e);
        }
        finally
        {
            File.Delete(temporary);
        }
        bool full;
        lock (_lock)
        {
            _bytes ??= SizeBytes();
            _bytes += size;
            full = _bytes > CapacityBytes;
        }
        if (full)
        {
            Evict();
        }
    }

    /// <summary>Bytes of all entries now in the store (every process's).</summary>
    public long SizeBytes() => Entries().Sum(e => e.Length);

    /// <summary>
    /// Deletes the least recently used entries until the store holds at most 90% of its bound (the slack keeps a job
    /// that writes many entries from rescanning the directory after each one), and temporary files abandoned by dead writers.
    /// </summary>
    public void Evict()
    {
        long target = CapacityBytes / 10 * 9;
        List<FileInfo> entries = [.. Entries().OrderBy(e => e.LastWriteTimeUtc).ThenBy(e => e.Name, StringComparer.Ordinal)];
        long bytes = entries.Sum(e => e.Length);
        foreach (FileInfo entry in entries)
        {
            if (bytes <= target)
            {
                break;
            }
            long length = entry.Length;
            entry.Delete();
            bytes -= length;
        }
        if (System.IO.Directory.Exists(Directory))
        {
            DateTime abandoned = DateTime.UtcNow - AbandonedAfter;
            foreach (FileInfo temporary in new DirectoryInfo(Directory).EnumerateFiles($"*{EntryExtension}.tmp-*").Where(t => t.LastWriteTimeUtc < abandoned))
            {
                temporary.Delete();
            }
        }
        lock (_lock)
        {
            _bytes = bytes;
        }
    }

    private IEnumerable<FileInfo> Entries() =>
        System.IO.Directory.Exists(Directory) ? new DirectoryInfo(Directory).EnumerateFiles("*" + EntryExtension) : [];

    private string PathOf(ResultKey key) => Path.Join(Directory, key.FileName);

    private static byte[]? Discard(string path)
    {
        File.Delete(path);
        return null;
    }

    /// <summary>Marks an entry used now; false when it vanished meanwhile (another job evicted it).</summary>
    private static bool Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }
}
