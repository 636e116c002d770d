using GenoFlow.Analysis.Execution;
using GenoFlow.Core;
using GenoFlow.Core.Storage;

namespace GenoFlow.Engine.Entities;

/// <summary>How every entity turns one request into its reply: the operation's bytes, or a failure the coordinator can act on.</summary>
internal static class EntityCompute
{
    /// <summary>Never throws. <paramref name="where"/> names the unit and node in failure messages.</summary>
    public static object Reply(long requestId, string jobId, string node, string where, Func<byte[]> compute)
    {
        try
        {
            return new OperationCompleted(requestId, jobId, compute(), node);
        }
        catch (Exception e) when (e is UnknownOperationException or ConfinementException or GenoFlowFormatException or DatasetException)
        {
            return new OperationFailed(requestId, jobId, $"{where}: {e.Message}", Permanent: true);
        }
        catch (Exception e)
        {
            // Anything else goes back to the coordinator, which decides between a retry and failing the job.
            return new OperationFailed(requestId, jobId, $"{where}: {e.GetType().Name}: {e.Message}", Permanent: false);
        }
    }
}
