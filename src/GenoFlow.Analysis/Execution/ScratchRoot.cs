namespace GenoFlow.Analysis.Execution;

/// <summary>
/// The directory under which a node keeps the scratch areas of jobs, on a filesystem every node sees (configured per
/// node: <c>genoflow.cluster.scratch-root</c>; each node may mount it at its own path). Job J's area is
/// <c>ROOT/jobs/J</c>. Messages name a job by its id and its pieces by name, never by path: both are checked with
/// <see cref="ScratchNames"/> here, so whatever a message says, a node only touches files under its own root.
/// Every job area carries its owner's marker (<see cref="ScratchOwner"/>); areas whose owner died (a killed job) are
/// removed by <see cref="CollectAbandoned"/>, which each new job and each node start run.
/// </summary>
public sealed class ScratchRoot
{
    public const string JobsFolder = "jobs";

    /// <summary>Age after which an area whose owner cannot be checked (another host, no marker) is collected.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(7);

    private readonly string? _path;

    /// <param name="maxAge">Areas older than this are collected even when their owner cannot be checked; null: <see cref="DefaultMaxAge"/>.</param>
    public ScratchRoot(string path, TimeSpan? maxAge = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        MaxAge = maxAge ?? DefaultMaxAge;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxAge, TimeSpan.Zero, nameof(maxAge));
    }

    private ScratchRoot()
    {
    }

    /// <summary>A node without a scratch root: it runs operations that need none (QC, LD) and refuses the others.</summary>
    public static ScratchRoot None { get; } = new();

    public bool IsConfigured => _path is not null;

    public TimeSpan MaxAge { get; }

    /// <summary>The root directory.</summary>
    /// <exception cref="ConfinementException">This node has no scratch root.</exception>
    public string Path => _path ?? throw new ConfinementException(
        "this node has no scratch root: jobs that keep pieces between steps (PCA, projection, k-means, training, prediction) need " +
        "genoflow.cluster.scratch-root (--scratch-root), a directory every node sees");

    public string JobsDirectory => System.IO.Path.Join(Path, JobsFolder);

    /// <summary>
    /// A new job area with a fresh id, marked as this process's; the caller deletes it (<see cref="ScratchStore.Delete"/>)
    /// when the job ends. Areas of dead jobs are collected first.
    /// </summary>
    public ScratchStore CreateStore()
    {
        CollectAbandoned();
        string id = Guid.NewGuid().ToString("N");
        string area = System.IO.Path.Join(JobsDirectory, id);
        Directory.CreateDirectory(JobsDirectory);
        if (Directory.Exists(area))
        {
            throw new ConfinementException($"scratch area {area} already exists");
        }
        Directory.CreateDirectory(area);
        return new ScratchStore(this, id, ScratchOwner.Take(area));
    }

    /// <summary>
    /// Removes the areas of jobs that are over: those whose owner was on this host and is dead, and those older than
    /// <see cref="MaxAge"/> (by their marker's or directory's time) whatever their owner. Returns how many it removed;
    /// an area that cannot be removed now is left for the next collection.
    /// </summary>
    public int CollectAbandoned()
    {
        if (!IsConfigured || !Directory.Exists(JobsDirectory))
        {
            return 0;
        }
        int removed = 0;
        DateTime oldest = DateTime.UtcNow - MaxAge;
        foreach (string area in Directory.EnumerateDirectories(JobsDirectory).ToList())
        {
            if (!ScratchNames.IsValid(System.IO.Path.GetFileName(area)))
            {
                continue;
            }
            string marker = System.IO.Path.Join(area, ScratchOwner.FileName);
            DateTime touched = File.Exists(marker) ? File.GetLastWriteTimeUtc(marker) : Directory.GetLastWriteTimeUtc(area);
            if (touched < oldest || ScratchOwner.IsDeadOnThisHost(area))
            {
                try
                {
                    Directory.Delete(area, recursive: true);
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Gone meanwhile, or not ours to delete: the next collection tries again.
                }
            }
        }
        return removed;
    }

    /// <summary>The area of job <paramref name="jobId"/> (from a message: validated, never created here).</summary>
    /// <exception cref="ConfinementException"><paramref name="jobId"/> is not a plain name, or there is no root.</exception>
    public ScratchStore Store(string jobId) => new(this, ScratchNames.Check(jobId, "scratch job id"), owner: null);

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
