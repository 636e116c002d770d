namespace GenoFlow.Analysis.Execution;

/// <summary>
/// A name or location from a message or a job was refused before anything was read or written: a scratch job id or
/// piece name that is not a plain name, a path outside the node's configured roots, a root the node does not have, or
/// a piece that already exists with other bytes. Permanent: retrying the same request would be refused again.
/// </summary>
public sealed class ConfinementException(string message) : InvalidOperationException(message);
