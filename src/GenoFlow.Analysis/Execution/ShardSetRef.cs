using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// Names one exact version of a sample shard set: its directory (on a filesystem every node sees) and the checksum of
/// its manifest, so a node never computes on a shard set that was replaced since the job started.
/// </summary>
public sealed record ShardSetRef(string Path, string ManifestChecksum)
{
    public static ShardSetRef Of(SampleShardSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new(set.Path, set.ManifestChecksum);
    }
}
