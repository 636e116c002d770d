using System.Runtime.InteropServices;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// The bulk pieces of a running job (a PCA region's rows of a tall matrix, a model's parameter vector, a shard's partial sums), kept as files
/// in a scratch directory on a filesystem every node sees, as it sees the dataset. Operation inputs name a piece; the
/// operation reads it here, so bulk numbers never travel in cluster messages. Pieces are written once, atomically
/// (temporary file, then rename), and never changed; the directory is deleted when the job ends.
/// </summary>
public sealed class ScratchStore(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public static ScratchStore Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        return new ScratchStore(directory);
    }

    public void Write<T>(string piece, ReadOnlySpan<T> values) where T : unmanaged
    {
        string target = PathOf(piece);
        string temporary = $"{target}.tmp-{Guid.NewGuid():N}";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(MemoryMarshal.AsBytes(values));
        }
        File.Move(temporary, target, overwrite: true);
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
            throw new IOException($"scratch piece {path} is missing: is the output directory on a filesystem every node sees?", e);
        }
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }

    public bool Exists(string piece) => File.Exists(PathOf(piece));

    /// <summary>Removes a piece once it has been used (a job that makes a piece per round keeps the directory small).</summary>
    public void Remove(string piece) => File.Delete(PathOf(piece));

    public void Delete() => System.IO.Directory.Delete(Directory, recursive: true);

    private string PathOf(string piece)
    {
        if (piece.Length == 0 || piece.Contains('/', StringComparison.Ordinal) || piece.Contains('\\', StringComparison.Ordinal) || piece.StartsWith('.'))
        {
            throw new ArgumentException($"'{piece}' is not a scratch piece name", nameof(piece));
        }
        return Path.Join(Directory, piece);
    }
}
