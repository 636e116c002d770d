namespace GenoFlow.Cli.Tests;

/// <summary>
/// Tests that run jobs on a healthy cluster and compare them with the embedded run share one three-node cluster, started
/// once, instead of each starting its own. They run one after another (each asserts that every node took part and that
/// its jobs left the shared scratch root empty), beside other test classes as before; nothing here kills or pauses a node.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<SharedCluster>
{
    public const string Name = "shared cluster";
}

/// <summary>Three worker nodes with the default settings, up for the whole <see cref="SharedClusterCollection"/>.</summary>
public sealed class SharedCluster : IAsyncLifetime
{
    private ClusterNodes? _nodes;

    internal ClusterNodes Nodes => _nodes ?? throw new InvalidOperationException("the shared cluster is not started");

    public async Task InitializeAsync() => _nodes = await ClusterNodes.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }
}
