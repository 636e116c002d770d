namespace GenoFlow.Engine.Hosting;

/// <summary>What <c>genoflow status</c> reports: the cluster's members as the asking member sees them, and the jobs running on it.</summary>
public sealed record ClusterStatus(IReadOnlyList<ClusterMemberStatus> Members, IReadOnlyList<ClusterJobStatus> Jobs);

/// <summary>
/// One member: its address, roles, membership status (Joining, Up, Leaving, Exiting, Down, ...), whether the asking
/// member can reach it, and the shards and entities it hosts in the tile and sample-shard regions (zero on members
/// that are not workers).
/// </summary>
public sealed record ClusterMemberStatus(
    string Address,
    IReadOnlyList<string> Roles,
    string Status,
    bool Reachable,
    int TileShards,
    int TileEntities,
    int SampleShards,
    int SampleShardEntities);
