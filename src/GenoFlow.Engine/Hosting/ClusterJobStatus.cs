namespace GenoFlow.Engine.Hosting;

/// <summary>
/// A job running on the cluster: the coordinator (job client) that runs it, its id, kind (the operation its units run),
/// unit kind (tiles or sample shards), units reduced so far of all, and start time (UTC). A stage such as a PCA runs
/// many such jobs one after another (one per pass); status shows the current one.
/// </summary>
public sealed record ClusterJobStatus(string Coordinator, string JobId, string Kind, string Units, int Done, int Total, DateTimeOffset Started);
