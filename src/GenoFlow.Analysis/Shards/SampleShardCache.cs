using GenoFlow.Analysis.Execution;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Shards;

/// <summary>
/// Sample shards loaded on this node, bounded in bytes and evicted least-recently-used (like the <see cref="TileCache"/>
/// whose tiles a genotype-carrying shard is built from). An iterative analysis visits every shard once per step, so a
/// cache that holds the node's shards turns each step into pure compute.
/// </summary>
public sealed class SampleShardCache(long capacityBytes, TileCache tiles)
{
    private readonly Lock _lock = new();
    private readonly Lock _opening = new();
    private readonly ByteBoundedLru<ShardKey, SampleShard> _shards = new(capacityBytes, shard => shard.SizeBytes);
    private readonly Dictionary<string, SampleShardSet> _sets = new(StringComparer.Ordinal);
    private readonly Dictionary<ShardSetRef, InMemoryShardSet> _held = [];
    private long _heldBytes;

    /// <summary>Capacity when none is configured (genoflow.cluster.sample-shard-cache-size).</summary>
    public const long DefaultCapacityBytes = 1L << 30;

    public long CapacityBytes => _shards.CapacityBytes;

    /// <summary>Shards read from the store so far (a cache miss each).</summary>
    public long Loads => _shards.Loads;

    public SampleShard Get(ShardSetRef set, int index)
    {
        ArgumentNullException.ThrowIfNull(set);
        lock (_lock)
        {
            if (_held.TryGetValue(set, out InMemoryShardSet? held))
            {
                return held.Shards[index];
            }
        }
        return _shards.GetOrLoad(new ShardKey(set.Path, set.ManifestChecksum, index), () => OpenSet(set).LoadShard(index, tiles));
    }

    /// <summary>Keeps <paramref name="set"/>'s shards (outside the LRU, never evicted) while they fit the capacity beside other held sets.</summary>
    public bool TryHold(InMemoryShardSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        long bytes = set.SizeBytes;
        lock (_lock)
        {
            if (_held.ContainsKey(set.Ref) || _heldBytes + bytes > CapacityBytes)
            {
                return false;
            }
            _held[set.Ref] = set;
            _heldBytes += bytes;
            return true;
        }
    }

    public void Release(InMemoryShardSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        lock (_lock)
        {
            if (_held.Remove(set.Ref))
            {
                _heldBytes -= set.SizeBytes;
            }
        }
    }

    /// <summary>
    /// The open set, its manifest read once per node: concurrent loads of a set's first shards wait for one open
    /// rather than each reading the manifest (the scratch figures a cluster run reports count every read).
    /// </summary>
    private SampleShardSet OpenSet(ShardSetRef set)
    {
        lock (_opening)
        {
            lock (_lock)
            {
                if (_sets.TryGetValue(set.Path, out SampleShardSet? open) && open.ManifestChecksum == set.ManifestChecksum)
                {
                    return open;
                }
            }
            SampleShardSet reopened = SampleShardSet.Open(set.Path);
            if (reopened.ManifestChecksum != set.ManifestChecksum)
            {
                throw new GenoFlowFormatException(System.IO.Path.Join(set.Path, SampleShardSet.ManifestFile), $"sample shard set was replaced while the job ran (manifest {reopened.ManifestChecksum}, job started on {set.ManifestChecksum}); run the job again");
            }
            lock (_lock)
            {
                _sets[set.Path] = reopened;
            }
            return reopened;
        }
    }

    private readonly record struct ShardKey(string Path, string Checksum, int Index);
}
