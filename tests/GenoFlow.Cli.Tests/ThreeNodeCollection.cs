namespace GenoFlow.Cli.Tests;

/// <summary>The test classes that share one <see cref="ThreeNodeCluster"/> (they run one after another; nothing here kills or pauses a node).</summary>
[CollectionDefinition(Name)]
public sealed class ThreeNodeCollection : ICollectionFixture<ThreeNodeCluster>
{
    public const string Name = "three nodes";
}
