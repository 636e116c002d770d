using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Execution;

/// <summary>
/// Scratch store bytes are counted where the I/O happens, into whichever counter measures the flow: exactly the bytes
/// of the pieces and shard files, nothing outside a measured flow, the same whatever the executor's parallelism.
/// </summary>
public sealed class ScratchTrafficTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ScratchRoot _root;

    public ScratchTrafficTests()
    {
        _root = new ScratchRoot(_dir.File("scratch"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Pieces_count_their_bytes_into_the_measuring_flow_and_its_tasks_only()
    {
        ScratchStore store = _root.CreateStore();
        var traffic = new ScratchTraffic();
        store.Write<double>("outside", [1, 2, 3]);

        using (traffic.Measure())
        {
            store.Write<double>("a", new double[100]);
            Assert.Equal(100, store.Read<double>("a").Length);
            // A retried operation writing the same piece again reads it to compare; nothing new is written.
            store.Write<double>("a", new double[100]);
            await Task.Run(() => store.Read<float>("outside"));
            var inner = new ScratchTraffic();
            using (inner.Measure())
            {
                store.Read<double>("a");
            }
            Assert.Equal((0, 800), (inner.Written, inner.Read));
            store.Read<double>("a");
        }
        store.Read<double>("a");

        Assert.Equal(800, traffic.Written);
        Assert.Equal(800 + 800 + 24 + 800, traffic.Read);
        Assert.Null(ScratchTraffic.Current);
    }

    [Fact]
    public void A_shard_set_counts_its_files_as_written_once_and_as_read_each_time_a_node_loads_them()
    {
        string path = _root.CreateStore().DirectoryOf("shards");
        var written = new ScratchTraffic();
        using (written.Measure())
        {
            using SampleShardSetWriter writer = SampleShardSetWriter.Create(path, ["x", "y"], rowsPerShard: 2);
            for (int i = 0; i < 5; i++)
            {
                writer.Add($"s{i}", -1, [i, 2.0 * i]);
            }
            writer.Commit();
        }
        long files = new DirectoryInfo(path).EnumerateFiles().Sum(f => f.Length);
        long manifest = new FileInfo(Path.Join(path, SampleShardSet.ManifestFile)).Length;
        Assert.Equal(files, written.Written);
        // Committing opens the set it wrote: its manifest is read once.
        Assert.Equal(manifest, written.Read);

        var read = new ScratchTraffic();
        using (read.Measure())
        {
            SampleShardSet set = SampleShardSet.Open(path);
            for (int s = 0; s < set.ShardCount; s++)
            {
                set.LoadShard(s, new TileCache(1 << 20));
            }
        }

        Assert.Equal(0, read.Written);
        Assert.Equal(files, read.Read);
    }

    [Fact]
    public async Task A_stage_counts_its_own_steps_and_its_units_the_same_at_any_parallelism()
    {
        (_, Dataset dataset) = Cohort.Create(Directory.CreateDirectory(_dir.File("cohort")).FullName, new CohortSettings(200, 600, Populations: 2, Seed: 9, Chromosomes: 2),
            variantsPerTile: 150, samplesPerTile: 64);
        using (dataset)
        {
            var figures = new List<(long Written, long Read, long UnitsWritten, long UnitsRead, string Line)>();
            foreach (int parallelism in new[] { 1, 4 })
            {
                using var context = new StageContext(new InProcessExecutor(new TileCache(64 << 20), parallelism: parallelism, scratch: _root), _dir.File($"pca{parallelism}"));
                await context.RunAsync(c => PcaStage.RunAsync(c, new PcaStage.Request(dataset, new PcaSettings(3), DatasetSelection.All)));
                StageStatistics statistics = context.Statistics;
                figures.Add((statistics.ScratchWritten, statistics.ScratchRead, statistics.UnitScratch.Written, statistics.UnitScratch.Read, statistics.Describe()));
            }

            // The stage's own steps write the dense pieces (and re-read the Krylov basis); every tile of every pass only reads its region's and block's.
            var (written, read, unitsWritten, unitsRead, line) = figures[0];
            Assert.True(written > 0 && read > written && unitsWritten == 0 && unitsRead > 0 && unitsRead < read, line);
            Assert.Equal((written, read, unitsWritten, unitsRead), (figures[1].Written, figures[1].Read, figures[1].UnitsWritten, figures[1].UnitsRead));
            Assert.Contains($"MB through the scratch store ({written / 1e6:F2} written, {read / 1e6:F2} read; units 0.00 written, {unitsRead / 1e6:F2} read)", line, StringComparison.Ordinal);
        }
    }
}
