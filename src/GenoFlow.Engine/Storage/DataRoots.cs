using GenoFlow.Analysis.Execution;

namespace GenoFlow.Engine.Storage;

/// <summary>
/// The directories a node opens datasets under (<c>genoflow.cluster.data-roots</c>). A message names a dataset by
/// its path relative to a data root, never by an absolute path: the coordinator turns its dataset's path into that
/// relative form with its own roots (<see cref="RelativePathOf"/>), and a worker turns it back with its roots
/// (<see cref="Resolve"/>), so each node may mount the shared data at its own place. A relative path is checked
/// (<see cref="Check"/>) before it is joined to a root: whatever a message says, a worker opens nothing outside its
/// roots. A symbolic link inside a root is followed: whoever can write into a data root decides what is in it.
/// </summary>
public sealed class DataRoots
{
    /// <summary>Longest relative path a message may carry.</summary>
    public const int MaxRelativePathLength = 1024;

    private readonly string[] _roots;

    public DataRoots(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _roots = [.. roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))];
    }

    /// <summary>A node that opens no dataset (a coordinator that only runs sample-shard jobs, or a worker left unconfigured).</summary>
    public static DataRoots None { get; } = new([]);

    public IReadOnlyList<string> Paths => _roots;

    /// <summary>The form a message carries for the dataset at <paramref name="path"/> (forward slashes, relative to the first root holding it).</summary>
    /// <exception cref="ConfinementException">No data root of this node holds <paramref name="path"/>.</exception>
    public string RelativePathOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        foreach (string root in _roots)
        {
            string prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
            if (full.StartsWith(prefix, StringComparison.Ordinal) && full.Length > prefix.Length)
            {
                return Check(full[prefix.Length..].Replace(Path.DirectorySeparatorChar, '/'));
            }
        }
        throw new ConfinementException(
            $"{path} is not under a data root of this node ({Describe()}); give the directory that holds it, as the workers see it, with --data-root (genoflow.cluster.data-roots)");
    }

    /// <summary>The directory a message's <paramref name="relativePath"/> names on this node: under the first root where it exists (else the first root).</summary>
    /// <exception cref="ConfinementException">The path is not a plain relative path, or this node has no data root.</exception>
    public string Resolve(string relativePath)
    {
        Check(relativePath);
        if (_roots.Length == 0)
        {
            throw new ConfinementException("this node has no data root: it opens datasets only under genoflow.cluster.data-roots (--data-root)");
        }
        string[] candidates = [.. _roots.Select(r => Path.GetFullPath(Path.Join(r, relativePath)))];
        return candidates.FirstOrDefault(Directory.Exists) ?? candidates[0];
    }

    /// <summary>
    /// A relative path as messages may carry it: 1 to <see cref="MaxRelativePathLength"/> characters, '/'-separated
    /// names, none of them empty, '.' or '..', no backslash or control character, not starting with '/'.
    /// </summary>
    public static string Check(string? relativePath)
    {
        string? problem = relativePath switch
        {
            null or "" => "it is empty",
            { Length: > MaxRelativePathLength } => $"it is longer than {MaxRelativePathLength} characters",
            _ when relativePath[0] == '/' || Path.IsPathRooted(relativePath) => "it is absolute",
            _ when relativePath.Any(c => c == '\\' || char.IsControl(c)) => "it holds a backslash or a control character",
            _ when relativePath.Split('/').Any(s => s is "" or "." or "..") => "it has an empty, '.' or '..' part",
            _ => null,
        };
        return problem is null
            ? relativePath!
            : throw new ConfinementException($"refused dataset path '{ScratchNames.Shorten(relativePath)}': {problem} (a dataset is named by its path relative to a data root)");
    }

    public string Describe() => _roots.Length == 0 ? "none configured" : "data roots: " + string.Join(", ", _roots);
}
