namespace GenoFlow.Cli.Tests;

/// <summary>
/// Tests that run jobs of many tiles on a healthy cluster share one three-node cluster, started once, instead of each
/// starting its own. They run one after another (each asserts that every node took part and that its jobs left the shared
/// scratch root empty), beside other test classes as before; nothing here kills or pauses a node. Only jobs of many units
/// belong here: a warm cluster's shards are already placed, so a job of a few units (k-means and training shards, the
/// example pipeline's four tiles) can land on two nodes of three, where a fresh cluster places new shards on every node.
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
