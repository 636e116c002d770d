using GenoFlow.Engine.Serialization;

namespace GenoFlow.Engine.Entities;

/// <summary>
/// The partial result of one request to a tile or sample-shard entity, computed on <paramref name="Node"/>, which
/// wrote <paramref name="ScratchWritten"/> and read <paramref name="ScratchRead"/> bytes of the job's scratch store
/// doing it (<see cref="Analysis.Execution.ScratchTraffic"/>). Manifest "gf-done".
/// </summary>
public sealed record OperationCompleted(long RequestId, string JobId, ReadOnlyMemory<byte> Partial, string Node, long ScratchWritten = 0, long ScratchRead = 0) : IGenoFlowWireMessage;

/// <summary>
/// A request that failed. <paramref name="Permanent"/> failures (damaged or replaced data, an unknown operation) fail
/// the job at once; others may be retried. Manifest "gf-fail".
/// </summary>
public sealed record OperationFailed(long RequestId, string JobId, string Message, bool Permanent) : IGenoFlowWireMessage;
