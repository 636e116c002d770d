namespace GenoFlow.Engine.Jobs;

/// <summary>A running job: its id, kind (the operation its units run), unit kind (tiles or sample shards), units reduced of all, and start time (UTC).</summary>
public sealed record RunningJobStatus(string JobId, string Kind, string Units, int Done, int Total, DateTimeOffset Started);
