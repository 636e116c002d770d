namespace GenoFlow.Engine.Hosting;

/// <summary>The node could not become a cluster member in time. The message names the seeds and the timeout.</summary>
public sealed class ClusterJoinException : Exception
{
    public ClusterJoinException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
