using System.Runtime.ExceptionServices;

namespace GenoFlow.Core.Storage;

/// <summary>Runs one action per sample block in parallel and rethrows the first failure as itself (not wrapped).</summary>
internal static class ParallelBlocks
{
    public static void For(int blockCount, Action<int> body)
    {
        if (blockCount == 1)
        {
            body(0);
            return;
        }
        try
        {
            Parallel.For(0, blockCount, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
