namespace GenoFlow.Cli.Tests;

/// <summary>
/// Tests that kill, pause, cut off or add node processes and wait for the cluster's failure detection: they run alone,
/// one after another, never beside another test class, so their timing depends on their own cluster and not on a
/// neighbour's load (on 2 cores a neighbour's cluster can delay heartbeats past the shortened failure-detection settings
/// they use). They share one <see cref="FailoverCohort"/>: its datasets and eight reference runs take about a minute,
/// which each test class used to pay again.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterFaultCollection : ICollectionFixture<FailoverCohort>
{
    public const string Name = "cluster faults";
}
