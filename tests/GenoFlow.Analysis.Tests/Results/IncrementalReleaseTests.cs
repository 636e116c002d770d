using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Results;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Results;

/// <summary>
/// QC and LD pruning of release R2 with R1's results in the store: only the tiles whose checksum is new are computed,
/// and the outputs are those of a run without the store, byte for byte; damaged entries are recomputed.
/// </summary>
public sealed class IncrementalReleaseTests(ReleasePair releases) : IClassFixture<ReleasePair>, IDisposable
{
    private static readonly QcThresholds Thresholds = new(Maf: 0.05, MaxMissing: 0.1, Hwe: 1e-6);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ResultStoreSettings Store => new() { Directory = _dir.File("store") };

    /// <summary>R2's tiles of the changed block and of the new one: regions x 2.</summary>
    private int NewTiles => releases.R2.RegionCount * 2;

    private int AllTiles => releases.R2.RegionCount * releases.R2.SampleBlockCount;

    [Fact]
    public void R2_shares_the_tile_checksums_of_r1s_full_blocks_and_changes_the_last()
    {
        Assert.Equal(4, releases.R1.SampleBlockCount);
        Assert.Equal(5, releases.R2.SampleBlockCount);
        Assert.Equal(releases.R1.RegionCount, releases.R2.RegionCount);
        for (int r = 0; r < releases.R2.RegionCount; r++)
        {
            for (int b = 0; b < 3; b++)
            {
                Assert.Equal(releases.R1.TileXxh3(r, b), releases.R2.TileXxh3(r, b));
            }
            Assert.NotEqual(releases.R1.TileXxh3(r, 3), releases.R2.TileXxh3(r, 3));
        }
    }

    [Fact]
    public async Task Qc_of_r2_computes_only_the_new_tiles_and_matches_a_run_without_the_store()
    {
        StageStatistics r1 = await QcAsync(releases.R1, Store, "qc-r1");
        Assert.Equal(releases.R1.RegionCount * releases.R1.SampleBlockCount, r1.Computed);
        Assert.Equal(0, r1.FromStore);

        StageStatistics r2 = await QcAsync(releases.R2, Store, "qc-r2");
        Assert.Equal(NewTiles, r2.Computed);
        Assert.Equal(AllTiles - NewTiles, r2.FromStore);
        Assert.Contains($"result store: {NewTiles} computed, {AllTiles - NewTiles} from store", r2.Describe(), StringComparison.Ordinal);
        long newTileBytes = TileGrid.All(releases.R2).Where(t => t.Block >= 3).Sum(t => releases.R2.TileBytes(t.Region, t.Block));
        Assert.Equal(newTileBytes, r2.TileBytes);

        StageStatistics scratch = await QcAsync(releases.R2, null, "qc-r2-scratch");
        Assert.Equal(AllTiles, scratch.Computed);
        Assert.Null(scratch.FromStore);
        AssertSameFiles(_dir.File("qc-r2-scratch"), _dir.File("qc-r2"));

        StageStatistics again = await QcAsync(releases.R2, Store, "qc-r2-again");
        Assert.Equal(0, again.Computed);
        Assert.Equal(AllTiles, again.FromStore);
        AssertSameFiles(_dir.File("qc-r2-scratch"), _dir.File("qc-r2-again"));
    }

    [Fact]
    public async Task Ld_pruning_of_r2_computes_only_the_new_tiles_and_matches_a_run_without_the_store()
    {
        StageStatistics r1 = await LdAsync(releases.R1, Store, "ld-r1");
        Assert.Equal(releases.R1.RegionCount * releases.R1.SampleBlockCount, r1.Computed);

        StageStatistics r2 = await LdAsync(releases.R2, Store, "ld-r2");
        Assert.Equal(NewTiles, r2.Computed);
        Assert.Equal(AllTiles - NewTiles, r2.FromStore);

        await LdAsync(releases.R2, null, "ld-r2-scratch");
        AssertSameFiles(_dir.File("ld-r2-scratch"), _dir.File("ld-r2"));
        Assert.NotEmpty(File.ReadAllLines(Path.Join(_dir.File("ld-r2"), "prune.out")));
    }

    [Fact]
    public async Task Qc_of_r2_appended_to_r1_uses_the_store_beside_the_dataset_and_computes_only_the_new_tiles()
    {
        using Dataset r1 = releases.ImportR1(Directory.CreateDirectory(_dir.File("appended")).FullName);
        StageStatistics atR1 = await QcAsync(r1, ResultStoreSettings.Default, "qc-at-r1");
        Assert.Equal(releases.R1.RegionCount * releases.R1.SampleBlockCount, atR1.Computed);
        Assert.True(Directory.Exists(r1.Path + ResultStoreSettings.BesideDatasetSuffix));

        releases.AppendR2(r1.Path);
        using Dataset appended = Dataset.Open(r1.Path);
        Assert.Equal("R2", appended.Release);
        foreach (TileId tile in TileGrid.All(appended))
        {
            Assert.Equal(releases.R2.TileXxh3(tile.Region, tile.Block), appended.TileXxh3(tile.Region, tile.Block));
        }
        StageStatistics atR2 = await QcAsync(appended, ResultStoreSettings.Default, "qc-at-r2");
        Assert.Equal(NewTiles, atR2.Computed);
        Assert.Equal(AllTiles - NewTiles, atR2.FromStore);

        await QcAsync(releases.R2, null, "qc-r2-scratch");
        foreach (string table in new[] { "variant_qc.tsv", "sample_qc.tsv", "variants.keep", "samples.keep" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Join(_dir.File("qc-r2-scratch"), table)), File.ReadAllBytes(Path.Join(_dir.File("qc-at-r2"), table)));
        }
    }

    [Fact]
    public async Task Damaged_truncated_and_misplaced_entries_are_recomputed_and_replaced()
    {
        await QcAsync(releases.R2, Store, "qc-first");
        string[] entries = [.. Directory.GetFiles(Store.Directory!, "*" + ResultStore.EntryExtension).Order(StringComparer.Ordinal)];
        Assert.Equal(AllTiles, entries.Length);
        byte[] flipped = File.ReadAllBytes(entries[0]);
        flipped[^1] ^= 0x40;
        File.WriteAllBytes(entries[0], flipped);
        File.WriteAllBytes(entries[1], File.ReadAllBytes(entries[1])[..10]);
        File.Copy(entries[3], entries[2], overwrite: true);

        StageStatistics repaired = await QcAsync(releases.R2, Store, "qc-repaired");
        Assert.Equal(3, repaired.Computed);
        Assert.Equal(AllTiles - 3, repaired.FromStore);
        AssertSameFiles(_dir.File("qc-first"), _dir.File("qc-repaired"));

        StageStatistics whole = await QcAsync(releases.R2, Store, "qc-whole");
        Assert.Equal(0, whole.Computed);
    }

    [Fact]
    public async Task A_store_too_small_for_the_job_stays_under_its_bound_and_changes_no_output()
    {
        // About four QC partials (each ~2 KB): every run evicts entries it looked up before their turn came.
        var tiny = Store with { CapacityBytes = 9_000 };
        await QcAsync(releases.R2, null, "qc-scratch");
        for (int run = 0; run < 3; run++)
        {
            StageStatistics statistics = await QcAsync(releases.R2, tiny, $"qc-{run}");
            Assert.Equal(AllTiles, statistics.Computed + statistics.FromStore);
            AssertSameFiles(_dir.File("qc-scratch"), _dir.File($"qc-{run}"));
            Assert.InRange(new ResultStore(tiny.Directory!, tiny.CapacityBytes).SizeBytes(), 1, tiny.CapacityBytes);
        }
    }

    private async Task<StageStatistics> QcAsync(Dataset dataset, ResultStoreSettings? store, string output)
    {
        using var context = new StageContext(Executor(), _dir.File(output), store);
        await QcStage.RunAsync(context, new QcStage.Request(dataset, Thresholds));
        return context.Statistics;
    }

    private async Task<StageStatistics> LdAsync(Dataset dataset, ResultStoreSettings? store, string output)
    {
        using var context = new StageContext(Executor(), _dir.File(output), store);
        await LdPruneStage.RunAsync(context, new LdPruneStage.Request(dataset, LdPruneSettings.Of(10, null, 2, 0.3), DatasetSelection.All));
        return context.Statistics;
    }

    private static InProcessExecutor Executor() => new(new TileCache(16 << 20), parallelism: 2);

    private static void AssertSameFiles(string expected, string actual)
    {
        string[] names = [.. Directory.GetFiles(expected).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(names, Directory.GetFiles(actual).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.NotEmpty(names);
        foreach (string name in names)
        {
            Assert.True(File.ReadAllBytes(Path.Join(expected, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Join(actual, name))), $"{name} differs");
        }
    }
}
