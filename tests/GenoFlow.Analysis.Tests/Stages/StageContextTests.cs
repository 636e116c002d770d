using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Stages;

/// <summary>The stage layer on a real dataset with the in-process executor: statistics over every scatter, scratch cleanup, selections.</summary>
public sealed class StageContextTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dataset _dataset;

    public StageContextTests()
    {
        (_, _dataset) = Cohort.Create(Directory.CreateDirectory(_dir.File("cohort")).FullName, new CohortSettings(300, 900, Populations: 2, Seed: 4, Chromosomes: 2), variantsPerTile: 200, samplesPerTile: 128);
    }

    public void Dispose()
    {
        _dataset.Dispose();
        _dir.Dispose();
    }

    private static InProcessExecutor Executor() => new(new TileCache(64 << 20), parallelism: 2, scratch: TestScratch.Root);

    [Fact]
    public async Task Statistics_sum_every_scatter_of_a_stage_and_scratch_is_removed_with_the_context()
    {
        var tiles = TileGrid.All(_dataset).Count;
        string scratch;
        StageStatistics statistics;
        using (var context = new StageContext(Executor(), _dir.File("pca")))
        {
            scratch = context.CreateScratch().Directory;
            Assert.True(Directory.Exists(scratch));
            await PcaStage.RunAsync(context, new PcaStage.Request(_dataset, new PcaSettings(3), DatasetSelection.All));
            statistics = context.Statistics;
        }

        Assert.False(Directory.Exists(scratch), "the context removes its scratch when disposed");
        Assert.True(statistics.Jobs > 2, $"PCA runs many scatters; counted {statistics.Jobs}");
        long computed = statistics.UnitsPerNode["tiles"][InProcessExecutor.NodeName];
        // Every pass over the dataset reads each tile once, whether as one scatter or as one per region (the Krylov
        // iterations), so the units are whole passes and the tile bytes as many times the dataset's.
        Assert.Equal(0, computed % tiles);
        Assert.True(computed / tiles > 2, $"PCA makes many passes; counted {computed} tile units over {tiles} tiles");
        Assert.Equal(computed, statistics.Requests);
        Assert.Equal(0, statistics.Retries);
        Assert.Contains($"tiles per node: in-process {computed}; {statistics.Jobs} jobs", statistics.Describe(), StringComparison.Ordinal);
        long tileFiles = TileGrid.All(_dataset).Sum(t => _dataset.TileBytes(t.Region, t.Block));
        Assert.True(tileFiles > 0);
        Assert.Equal(computed / tiles * tileFiles, statistics.TileBytes);
        Assert.DoesNotContain(Directory.GetDirectories(_dir.Path), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task The_qc_stage_hands_on_exactly_what_its_keep_lists_name()
    {
        var thresholds = new QcThresholds(Maf: 0.05, Hwe: 1e-6, SampleMaxMissing: 0.02);
        QcStage.Result result;
        using (var context = new StageContext(Executor(), _dir.File("qc")))
        {
            result = await QcStage.RunAsync(context, new QcStage.Request(_dataset, thresholds));
        }
        DatasetSelection kept = DatasetSelection.Kept(QcFilter.Load(_dir.File("qc"), _dataset), _dataset);

        Assert.Equal(kept.Digest(), result.Selection.Digest());
        Assert.Equal(kept.Variants, result.Selection.Variants);
        Assert.Equal(kept.Samples, result.Selection.Samples);
        Assert.Contains(result.Selection.Variants!, v => !v);
    }

    [Fact]
    public async Task A_bad_parameter_names_the_parameter_and_nothing_is_written()
    {
        using var context = new StageContext(Executor(), _dir.File("qc"));
        var error = await Assert.ThrowsAsync<StageParameterException>(() => QcStage.RunAsync(context, new QcStage.Request(_dataset, new QcThresholds(Maf: 0.7))));
        Assert.Equal("maf", error.Parameter);
        Assert.Equal("must be between 0 and 0.5; got 0.7", error.Problem);
        Assert.False(Directory.Exists(_dir.File("qc")));
    }

    [Fact]
    public void Selections_combine_by_index_and_digest_their_content()
    {
        var selection = new DatasetSelection([true, true, false, true], null);
        DatasetSelection both = selection.AndVariants([false, true, true, true]);
        Assert.Equal([1L, 3L], both.VariantIndices(4));
        Assert.Equal([0, 1, 2], both.SampleIndices(3));
        Assert.Equal(both.Digest(), new DatasetSelection([false, true, false, true], null).Digest());
        Assert.NotEqual(both.Digest(), selection.Digest());
        Assert.NotEqual(DatasetSelection.All.Digest(), new DatasetSelection([], []).Digest());
    }
}
