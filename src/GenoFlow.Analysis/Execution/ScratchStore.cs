using System.Runtime.InteropServices;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// The bulk pieces of a running job (a PCA region's rows of a tall matrix, a model's parameter vector, a shard's
/// partial sums), kept as files in the job's area of a <see cref="ScratchRoot"/>. Operation inputs name the job
/// (<see cref="JobId"/>) and a piece; the operation reads it here, so bulk numbers never travel in cluster messages
/// and no message ever carries a path. A piece is created exclusively and atomically (a temporary file, then a rename
/// that refuses to replace), and never changed: writing a piece that exists is accepted only when the bytes are the
/// same (a retried operation, which is a pure function of its input), and refused otherwise. The bytes written and
/// read count into <see cref="ScratchTraffic.Current"/>.
/// </summary>
public sealed class ScratchStore
{
    private readonly ScratchOwner? _owner;

    /// <param name="owner">
    /// The area's marker when this process created the area (the job's coordinator), else null. The creator keeps the
    /// store until <see cref="Delete"/>: a store dropped unreachable releases its marker and its area may be collected.
    /// </param>
    internal ScratchStore(ScratchRoot root, string jobId, ScratchOwner? owner)
    {
        Root = root;
        JobId = jobId;
        Directory = Path.Join(root.JobsDirectory, jobId);
        _owner = owner;
    }

    public ScratchRoot Root { get; }

    /// <summary>What messages carry instead of <see cref="Directory"/>.</summary>
    public string JobId { get; }

    public string Directory { get; }

    public void Write<T>(string piece, ReadOnlySpan<T> values) where T : unmanaged
    {
        string target = PathOf(piece);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new ConfinementException($"scratch area of job {JobId} does not exist under {Root}; is the scratch root on a filesystem every node sees, and is the job still running?");
        }
        string temporary = Path.Join(Directory, $".{piece}.tmp-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
            }
            File.Move(temporary, target, overwrite: false);
            ScratchTraffic.CountWritten(bytes.Length);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temporary);
            // The piece is already there (a retry): it is read to compare, not written again.
            ScratchTraffic.CountRead(bytes.Length);
            if (!SameBytes(target, bytes))
            {
                throw new ConfinementException($"scratch piece {piece} of job {JobId} already exists with other content; pieces are never overwritten");
            }
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public T[] Read<T>(string piece) where T : unmanaged
    {
        string path = PathOf(piece);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"scratch piece {path} is missing: is the scratch root on a filesystem every node sees?", e);
        }
        ScratchTraffic.CountRead(bytes.Length);
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }

    public bool Exists(string piece) => File.Exists(PathOf(piece));

    /// <summary>Removes a piece once it has been used (a job that makes a piece per round keeps the area small).</summary>
    public void Remove(string piece) => File.Delete(PathOf(piece));

    /// <summary>The path of a directory held in the job's area (a sample shard set), by its validated name.</summary>
    public string DirectoryOf(string name) => PathOf(name);

    /// <summary>Removes the area (the job is over) and lets go of its owner marker.</summary>
    public void Delete()
    {
        try
        {
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
        finally
        {
            _owner?.Dispose();
        }
    }

    private string PathOf(string piece) => Path.Join(Directory, ScratchNames.Check(piece, "scratch piece name"));

    private static bool SameBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length != bytes.Length)
        {
            return false;
        }
        byte[] existing = new byte[bytes.Length];
        stream.ReadExactly(existing);
        return existing.AsSpan().SequenceEqual(bytes);
    }
}
