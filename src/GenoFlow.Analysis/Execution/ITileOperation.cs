namespace GenoFlow.Analysis.Execution;

/// <summary>
/// A computation on one tile: small input bytes in, small partial-result bytes out. It runs on the node that hosts the
/// tile, so both sides have an explicit byte encoding. It must be a pure function of (tile, input): the same call
/// gives the same bytes, which makes retries and duplicate deliveries harmless.
/// </summary>
public interface ITileOperation
{
    /// <summary>Stable wire name with a version, e.g. <c>qc.counts/1</c>; nodes find the operation by it.</summary>
    string Name { get; }

    byte[] Run(Tile tile, ReadOnlySpan<byte> input);

    /// <summary>
    /// As <see cref="Run(Tile, ReadOnlySpan{byte})"/>, under the job's cancellation token: an operation with long loops
    /// checks it once per chunk of variants or samples (thousands of them, never per element) and stops with
    /// <see cref="OperationCanceledException"/>, so a cancelled job's running tile stops mid-tile.
    /// </summary>
    byte[] Run(Tile tile, ReadOnlySpan<byte> input, CancellationToken cancellation) => Run(tile, input);
}
