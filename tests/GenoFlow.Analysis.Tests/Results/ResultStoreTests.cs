using System.Buffers.Binary;
using GenoFlow.Analysis.Results;
using GenoFlow.Analysis.Tests.TestSupport;

namespace GenoFlow.Analysis.Tests.Results;

/// <summary>The store's files: least recently used eviction under the byte bound, and entries that lie about themselves.</summary>
public sealed class ResultStoreTests : IDisposable
{
    private const int EntryBytes = 1_040; // 40-byte header + 1,000-byte payload
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ResultKey Key(int i) => ResultKey.Of("test.op/1", 1, [$"{i:x16}"], 64, []);

    private static byte[] Payload(int i) => Enumerable.Range(0, 1_000).Select(b => (byte)(b * i)).ToArray();

    [Fact]
    public void The_least_recently_used_entries_go_first_and_the_store_stays_under_its_bound()
    {
        var store = new ResultStore(_dir.File("store"), 3_500);
        for (int i = 0; i < 3; i++)
        {
            store.Write(Key(i), Payload(i));
            File.SetLastWriteTimeUtc(Path.Join(store.Directory, Key(i).FileName), DateTime.UtcNow.AddHours(i - 3));
        }
        Assert.Equal(3 * EntryBytes, store.SizeBytes());
        Assert.Equal(Payload(0), store.TryRead(Key(0)));

        store.Write(Key(3), Payload(3));

        Assert.Null(store.TryRead(Key(1)));
        Assert.Equal(Payload(0), store.TryRead(Key(0)));
        Assert.Equal(Payload(2), store.TryRead(Key(2)));
        Assert.Equal(Payload(3), store.TryRead(Key(3)));
        Assert.Equal(3 * EntryBytes, store.SizeBytes());
        for (int i = 4; i < 20; i++)
        {
            store.Write(Key(i), Payload(i));
            Assert.InRange(store.SizeBytes(), EntryBytes, store.CapacityBytes);
            Assert.Equal(Payload(i), store.TryRead(Key(i)));
        }
    }

    [Fact]
    public void An_entry_declaring_more_bytes_than_it_holds_is_deleted_without_allocating_them()
    {
        var store = new ResultStore(_dir.File("store"), 1L << 30);
        store.Write(Key(1), Payload(1));
        string path = Path.Join(store.Directory, Key(1).FileName);
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24), 1L << 40);
        File.WriteAllBytes(path, bytes);

        Assert.True(store.Contains(Key(1)));
        Assert.Null(store.TryRead(Key(1)));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_payload_larger_than_the_store_is_not_kept()
    {
        var store = new ResultStore(_dir.File("store"), 1_000);
        store.Write(Key(1), Payload(1));
        Assert.False(store.Contains(Key(1)));
        Assert.Equal(0, store.SizeBytes());
    }

    [Fact]
    public void Keys_differ_in_every_part()
    {
        ResultKey key = ResultKey.Of("qc.counts/1", 1, ["a", "b"], 64, [1, 2]);
        Assert.Equal(key, ResultKey.Of("qc.counts/1", 1, ["a", "b"], 64, [1, 2]));
        Assert.NotEqual(key, ResultKey.Of("ld.pairs/1", 1, ["a", "b"], 64, [1, 2]));
        Assert.NotEqual(key, ResultKey.Of("qc.counts/1", 2, ["a", "b"], 64, [1, 2]));
        Assert.NotEqual(key, ResultKey.Of("qc.counts/1", 1, ["a", "c"], 64, [1, 2]));
        Assert.NotEqual(key, ResultKey.Of("qc.counts/1", 1, ["a"], 64, [1, 2]));
        Assert.NotEqual(key, ResultKey.Of("qc.counts/1", 1, ["a", "b"], 63, [1, 2]));
        Assert.NotEqual(key, ResultKey.Of("qc.counts/1", 1, ["a", "b"], 64, [1, 3]));
    }
}
