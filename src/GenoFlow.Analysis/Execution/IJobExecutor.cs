namespace GenoFlow.Analysis.Execution;

/// <summary>
/// Runs tile and sample-shard operations and hands their partial results back in a fixed order. The in-process executor
/// and the Akka cluster executor implement this one contract, so every analysis is written once and gives the same
/// bytes on both. Each run returns what the job cost (units per node, requests, retries).
/// </summary>
public interface IJobExecutor
{
    /// <summary>
    /// Where this executor's nodes resolve the scratch job ids that operation inputs name: a stage makes its scratch
    /// areas here (<see cref="ScratchRoot.CreateStore"/>), so the coordinator and the nodes find the same pieces.
    /// </summary>
    ScratchRoot Scratch { get; }

    /// <summary>
    /// Runs <paramref name="job"/>. <paramref name="reduce"/> is called exactly once per tile, in the order of
    /// <see cref="TileJob.Tiles"/>, never concurrently, whatever order the tiles finish in or how often one was retried.
    /// </summary>
    Task<JobSummary> RunAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="job"/>. <paramref name="reduce"/> is called exactly once per shard, in shard order, never
    /// concurrently, whatever order the shards finish in or how often one was retried.
    /// </summary>
    Task<JobSummary> RunAsync(SampleShardJob job, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default);
}
