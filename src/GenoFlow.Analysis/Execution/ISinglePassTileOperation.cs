namespace GenoFlow.Analysis.Execution;

/// <summary>
/// A tile operation that a job runs once per tile (QC counts): executors lend it the tile through
/// <see cref="TileCache.Borrow"/>, so a pass over a dataset larger than the cache reads each tile once into pooled
/// memory instead of allocating and caching tiles no later pass of the job reads.
/// </summary>
public interface ISinglePassTileOperation : ITileOperation;
