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
    private readonly Dictionary<ShardKey, LinkedListNode<(ShardKey Key, SampleShard Shard)>> _entries = [];
    private readonly LinkedList<(ShardKey Key, SampleShard Shard)> _recency = new();
    private readonly Dictionary<string, SampleShardSet> _sets = new(StringComparer.Ordinal);
    private long _bytes;

    /// <summary>Capacity when none is configured (genoflow.cluster.sample-shard-cache-size).</summary>
    public const long DefaultCapacityBytes = 1L << 30;

    public long CapacityBytes { get; } = capacityBytes >= 0 ? capacityBytes : throw new ArgumentOutOfRangeException(nameof(capacityBytes));

    /// <summary>Shards read from the store so far (a cache miss each).</summary>
    public long Loads { get; private set; }

    public SampleShard Get(ShardSetRef set, int index)
    {
        ArgumentNullException.ThrowIfNull(set);
        var key = new ShardKey(set.Path, set.ManifestChecksum, index);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Shard;
            }
        }
        // Loading happens outside the lock; two threads may load the same shard once each, which is harmless.
        SampleShard shard = OpenSet(set).LoadShard(index, tiles);
        lock (_lock)
        {
            Loads++;
            if (shard.SizeBytes > CapacityBytes || _entries.ContainsKey(key))
            {
                return shard;
            }
            _entries[key] = _recency.AddFirst((key, shard));
            _bytes += shard.SizeBytes;
            while (_bytes > CapacityBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Shard.SizeBytes;
            }
        }
        return shard;
    }

    private SampleShardSet OpenSet(ShardSetRef set)
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

    private readonly record struct ShardKey(string Path, string Checksum, int Index);
}
