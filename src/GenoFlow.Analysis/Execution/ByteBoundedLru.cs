using System.Diagnostics.CodeAnalysis;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// The least-recently-used store behind the tile and sample shard caches: values kept up to a total size in bytes, the
/// oldest evicted first; a value larger than the whole capacity is handed out without being kept. Thread-safe; a value
/// is loaded outside the lock, so two threads may load the same key once each, which is harmless for pure loads.
/// </summary>
internal sealed class ByteBoundedLru<TKey, TValue>(long capacityBytes, Func<TValue, long> sizeOf)
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _entries = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _recency = new();
    private long _bytes;
    private long _loads;

    public long CapacityBytes { get; } = capacityBytes >= 0 ? capacityBytes : throw new ArgumentOutOfRangeException(nameof(capacityBytes));

    public long CachedBytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Values loaded so far (a cache miss each).</summary>
    public long Loads
    {
        get
        {
            lock (_lock)
            {
                return _loads;
            }
        }
    }

    /// <summary>The value kept under <paramref name="key"/>, if any (then it becomes the most recently used).</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public TValue GetOrLoad(TKey key, Func<TValue> load)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Value;
            }
        }
        TValue value = load();
        long size = sizeOf(value);
        lock (_lock)
        {
            _loads++;
            if (size > CapacityBytes || _entries.ContainsKey(key))
            {
                return value;
            }
            _entries[key] = _recency.AddFirst((key, value));
            _bytes += size;
            while (_bytes > CapacityBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= sizeOf(oldest.Value.Value);
            }
        }
        return value;
    }
}
