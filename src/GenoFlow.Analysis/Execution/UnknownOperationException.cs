namespace GenoFlow.Analysis.Execution;

/// <summary>A node was asked to run an operation it does not know (nodes on different GenoFlow versions).</summary>
public sealed class UnknownOperationException(string message) : InvalidOperationException(message);
