namespace GenoFlow.Analysis.Execution;

/// <summary>
/// The directory under which a node keeps the scratch areas of jobs, on a filesystem every node sees (configured per
/// node: <c>genoflow.cluster.scratch-root</c>; each node may mount it at its own path). Job J's area is
/// <c>ROOT/jobs/J</c>. Messages name a job by its id and its pieces by name, never by path: both are checked with
/// <see cref="ScratchNames"/> here, so whatever a message says, a node only touches files under its own root.
/// </summary>
public sealed class ScratchRoot
{
    public const string JobsFolder = "jobs";

    private readonly string? _path;

    public ScratchRoot(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
    }

    private ScratchRoot()
    {
    }

    /// <summary>A node without a scratch root: it runs operations that need none (QC, LD) and refuses the others.</summary>
    public static ScratchRoot None { get; } = new();

    public bool IsConfigured => _path is not null;

    /// <summary>The root directory.</summary>
    /// <exception cref="ConfinementException">This node has no scratch root.</exception>
    public string Path => _path ?? throw new ConfinementException(
        "this node has no scratch root: jobs that keep pieces between steps (PCA, projection, k-means, training, prediction) need " +
        "genoflow.cluster.scratch-root (--scratch-root), a directory every node sees");

    public string JobsDirectory => System.IO.Path.Join(Path, JobsFolder);

    /// <summary>A new job area with a fresh id; the caller deletes it (<see cref="ScratchStore.Delete"/>) when the job ends.</summary>
    public ScratchStore CreateStore()
    {
        string id = Guid.NewGuid().ToString("N");
        var store = new ScratchStore(this, id);
        Directory.CreateDirectory(JobsDirectory);
        if (Directory.Exists(store.Directory))
        {
            throw new ConfinementException($"scratch area {store.Directory} already exists");
        }
        Directory.CreateDirectory(store.Directory);
        return store;
    }

    /// <summary>The area of job <paramref name="jobId"/> (from a message: validated, never created here).</summary>
    /// <exception cref="ConfinementException"><paramref name="jobId"/> is not a plain name, or there is no root.</exception>
    public ScratchStore Store(string jobId) => new(this, ScratchNames.Check(jobId, "scratch job id"));

    /// <summary>
    /// The job id and name of <paramref name="path"/>, a directory directly in a job's area of this root (a sample
    /// shard set): what a message carries instead of the path.
    /// </summary>
    /// <exception cref="ConfinementException"><paramref name="path"/> is not directly in a job area of this root.</exception>
    public (string JobId, string Name) Locate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        string name = System.IO.Path.GetFileName(full);
        string? area = System.IO.Path.GetDirectoryName(full);
        string job = System.IO.Path.GetFileName(area) ?? "";
        if (area is null || System.IO.Path.GetDirectoryName(area) != JobsDirectory || !ScratchNames.IsValid(job) || !ScratchNames.IsValid(name))
        {
            throw new ConfinementException($"{path} is not in a job's scratch area under this node's scratch root {this} ({JobsDirectory}/JOB/NAME)");
        }
        return (job, name);
    }

    public override string ToString() => _path ?? "(none)";
}
