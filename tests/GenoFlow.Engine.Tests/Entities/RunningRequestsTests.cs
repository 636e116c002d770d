using GenoFlow.Engine.Entities;

namespace GenoFlow.Engine.Tests.Entities;

/// <summary>A job's cancellation reaches its registered requests, later arrivals and nothing else; the drained notice comes once, after the last.</summary>
public sealed class RunningRequestsTests
{
    [Fact]
    public void Cancelling_a_job_cancels_its_requests_and_later_arrivals_but_not_other_jobs()
    {
        var requests = new RunningRequests();
        var drained = new List<RunningRequests.Drained>();
        requests.JobDrained += drained.Add;
        RunningRequests.Lease queued = requests.Begin("a");
        RunningRequests.Lease running = requests.Begin("a");
        RunningRequests.Lease other = requests.Begin("b");

        Assert.Equal(2, requests.Cancel("a"));

        Assert.True(queued.Token.IsCancellationRequested);
        Assert.True(running.Token.IsCancellationRequested);
        Assert.False(other.Token.IsCancellationRequested);
        Assert.True(requests.Begin("a").Token.IsCancellationRequested, "a request of a cancelled job still in transit must be dropped");
        queued.End(stopped: true);
        Assert.Empty(drained);
        running.End(stopped: false);
        Assert.Equal([new RunningRequests.Drained("a", 2, 1)], drained);
        Assert.Equal(0, requests.Cancel("a"));
        Assert.Single(drained);
        other.End(stopped: false);
    }

    [Fact]
    public void A_job_with_nothing_on_the_node_drains_at_once()
    {
        var requests = new RunningRequests();
        var drained = new List<RunningRequests.Drained>();
        requests.JobDrained += drained.Add;
        requests.Begin("a").End(stopped: false);

        Assert.Equal(0, requests.Cancel("a"));

        Assert.Equal([new RunningRequests.Drained("a", 0, 0)], drained);
    }

    [Fact]
    public void Only_the_latest_cancelled_job_ids_are_remembered()
    {
        var requests = new RunningRequests();
        for (int i = 0; i <= RunningRequests.RememberedCancellations; i++)
        {
            requests.Cancel($"job{i}");
        }

        Assert.False(requests.Begin("job0").Token.IsCancellationRequested, "the oldest id is forgotten: memory stays bounded");
        Assert.True(requests.Begin($"job{RunningRequests.RememberedCancellations}").Token.IsCancellationRequested);
    }
}
