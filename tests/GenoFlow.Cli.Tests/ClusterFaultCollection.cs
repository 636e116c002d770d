namespace GenoFlow.Cli.Tests;

/// <summary>
/// Tests that kill, pause or add node processes and wait for the cluster's failure detection: they run alone, one after
/// another, never beside another test class, so their timing depends on their own cluster and not on a neighbour's load
/// (on 2 cores a neighbour's cluster can delay heartbeats past the shortened failure-detection settings they use).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterFaultCollection
{
    public const string Name = "cluster faults";
}
