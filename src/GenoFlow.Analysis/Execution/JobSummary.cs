namespace GenoFlow.Analysis.Execution;

/// <summary>
/// What one finished job (a single scatter) cost: its kind of unit ("tiles" or "sample shards"), which node computed how
/// many of them, and how many requests were sent and how many of those were retries. Executors report it so a stage
/// can sum it over all its scatters.
/// </summary>
public sealed record JobSummary(string Units, IReadOnlyDictionary<string, int> UnitsPerNode, long Requests, long Retries)
{
    public const string Tiles = "tiles";
    public const string SampleShards = "sample shards";

    /// <summary>Units computed, on whichever node.</summary>
    public long Computed => UnitsPerNode.Values.Sum(n => (long)n);

    /// <summary>Payload bytes the job moved through cluster messages (request inputs and reply partials); 0 in process.</summary>
    public long MessageBytes { get; init; }

    /// <summary>
    /// Bytes the job's units wrote to the scratch store (pieces, in every reply received, late ones included; requests
    /// that failed or never replied are not counted): the same figure whichever executor ran the job.
    /// </summary>
    public long ScratchWritten { get; init; }

    /// <summary>Bytes the job's units read from the scratch store, counted as <see cref="ScratchWritten"/>.</summary>
    public long ScratchRead { get; init; }

    /// <summary>Units whose partial came from the result store instead; null when the job did not consult one.</summary>
    public long? FromStore { get; init; }

    /// <summary>With a result store, the tiles that were computed (the others were not read); null when all of them were.</summary>
    public IReadOnlyList<TileId>? ComputedTiles { get; init; }
}
