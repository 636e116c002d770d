namespace GenoFlow.Engine.Jobs;

/// <param name="RequestTimeout">How long the coordinator waits for one tile's reply before retrying it.</param>
/// <param name="MaxAttempts">Attempts per tile, the first included.</param>
/// <param name="InFlightPerWorker">Requests in flight per worker node that is up.</param>
public sealed record ExecutorSettings(TimeSpan RequestTimeout, int MaxAttempts, int InFlightPerWorker);
