using System.Text.RegularExpressions;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Tests.Shards;

/// <summary>A shard set's manifest sizes the arrays a node allocates: its claims are checked before allocating.</summary>
public sealed partial class ShardManifestLimitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_shard_claiming_more_rows_than_a_shard_may_hold_is_refused_before_allocating()
    {
        string table = _temp.File("t.tsv");
        File.WriteAllText(table, "sample_id\tx\ty\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"s{i}\t{i}\t{i * 2}\n")));
        SampleShardSet written = GenoFlow.Analysis.Tables.SampleTable.Read(table).WriteShards(null, _temp.File("shards"), 20);
        string manifest = Path.Join(written.Path, SampleShardSet.ManifestFile);
        File.WriteAllText(manifest, FirstRows().Replace(File.ReadAllText(manifest), "\"rows\": 2000000000", 1));
        SampleShardSet forged = SampleShardSet.Open(written.Path);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<GenoFlowFormatException>(() => forged.LoadShard(0, new TileCache(1 << 20)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("shard 0 claims 2000000000 rows of 2 values", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"refusing it allocated {allocated:N0} bytes");
    }

    /// <summary>The first shard's row count (the set's total comes before the shard list as "rows": 50).</summary>
    [GeneratedRegex("\"rows\": 20(?=,)")]
    private static partial Regex FirstRows();
}
