namespace GenoFlow.Engine.Jobs;

/// <summary>A cluster job that failed: a unit (tile or sample shard) failed permanently or ran out of attempts. The message is one line naming it.</summary>
public sealed class JobFailedException : Exception
{
    public JobFailedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
