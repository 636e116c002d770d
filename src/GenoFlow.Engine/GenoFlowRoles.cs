namespace GenoFlow.Engine;

/// <summary>Cluster roles of GenoFlow nodes.</summary>
public static class GenoFlowRoles
{
    /// <summary>Hosts tile entities (the tile shard region) and reads tiles from the dataset store.</summary>
    public const string Worker = "worker";

    /// <summary>Runs jobs: scatters tile requests and reduces the partials.</summary>
    public const string Coordinator = "coordinator";
}
