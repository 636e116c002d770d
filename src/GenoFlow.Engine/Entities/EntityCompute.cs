using Akka.Actor;
using GenoFlow.Analysis.Execution;
using GenoFlow.Core;
using GenoFlow.Core.Storage;

namespace GenoFlow.Engine.Entities;

/// <summary>How every entity turns one request into its reply: the operation's bytes, or a failure the coordinator can act on.</summary>
internal static class EntityCompute
{
    /// <summary>
    /// Runs <paramref name="compute"/> on the thread pool under the job's cancellation token (<see cref="RunningRequests"/>)
    /// and tells <paramref name="requester"/> the reply, with the bytes the request wrote to and read from the scratch
    /// store (measured here, the one place workers compute). The reply goes straight to the requester, so it is not lost if
    /// the entity passivates meanwhile. A request whose job was cancelled sends nothing: its coordinator is gone.
    /// </summary>
    /// <param name="where">Names the unit and node in failure messages.</param>
    public static void RunAndReply(RunningRequests requests, long requestId, string jobId, string node, string where, Func<CancellationToken, byte[]> compute,
        IActorRef requester, IActorRef self)
    {
        RunningRequests.Lease lease = requests.Begin(jobId);
        _ = Task.Run(() =>
        {
            object? reply = Reply(requestId, jobId, node, where, () => compute(lease.Token), lease.Token);
            lease.End(stopped: reply is null);
            if (reply is not null)
            {
                requester.Tell(reply, self);
            }
        });
    }

    /// <summary>Never throws; null when the job was cancelled before the request finished.</summary>
    private static object? Reply(long requestId, string jobId, string node, string where, Func<byte[]> compute, CancellationToken cancellation)
    {
        try
        {
            cancellation.ThrowIfCancellationRequested();
            var traffic = new ScratchTraffic();
            byte[] partial;
            using (traffic.Measure())
            {
                partial = compute();
            }
            return new OperationCompleted(requestId, jobId, partial, node, traffic.Written, traffic.Read);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return null;
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
