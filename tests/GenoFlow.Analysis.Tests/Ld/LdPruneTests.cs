using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Ld;

public sealed class LdPruneTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<LdPruneResult> Run(Dataset dataset, LdPruneSettings settings, QcFilter? filter = null, int parallelism = 2) =>
        LdPrune.RunAsync(new InProcessExecutor(new TileCache(1 << 20), parallelism: parallelism), dataset, settings, filter is null ? null : DatasetSelection.Kept(filter, dataset), null, CancellationToken.None);

    private (string Bed, Dataset Dataset) Cohort(string name, int[] contigs, double missing, int seed, int samples = 1003)
    {
        string dir = Directory.CreateDirectory(_dir.File(name)).FullName;
        var (bed, dataset) = LdCohort.Create(dir, samples, contigs, missing, seed);
        Assert.True(dataset.RegionCount >= 10 && dataset.SampleBlockCount == (samples + 255) / 256, $"grid {dataset.RegionCount} x {dataset.SampleBlockCount}");
        return (bed, dataset);
    }

    private string[] Ours(LdPruneResult result, string name)
    {
        string outDir = _dir.File(name);
        LdPruneOutput.Write(result, outDir);
        return File.ReadAllLines(Path.Combine(outDir, LdPruneOutput.InFileName));
    }

    private static string[] Plink(string bed, params string[] args)
    {
        string dir = Path.GetDirectoryName(bed)!;
        Plink2.Run(dir, ["--bfile", bed, "--indep-pairwise", .. args, "--out", "p"]);
        return File.ReadAllLines(Path.Combine(dir, "p.prune.in"));
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(0.03, 2)]
    public async Task Kept_variants_equal_plink2_indep_pairwise_50_5_05(double missing, int seed)
    {
        var (bed, dataset) = Cohort($"c{seed}", [400, 7, 350], missing, seed);
        LdPruneResult result = await Run(dataset, new LdPruneSettings());
        string[] ours = Ours(result, $"out{seed}");
        string[] plink = Plink(bed, "50", "5", "0.5");
        Assert.InRange(result.RemovedCount, 150, 600);
        Assert.Equal(plink, ours);
    }

    [Fact]
    public async Task Other_windows_steps_and_kb_windows_equal_plink2()
    {
        var (bed, dataset) = Cohort("w", [300, 260], 0.02, 3);
        Assert.Equal(Plink(bed, "20", "7", "0.3"), Ours(await Run(dataset, new LdPruneSettings(WindowVariants: 20, Step: 7, R2: 0.3)), "a"));
        Assert.Equal(Plink(bed, "100kb", "1", "0.4"), Ours(await Run(dataset, new LdPruneSettings(WindowVariants: null, WindowKb: 100, Step: 1, R2: 0.4)), "b"));
    }

    [Fact]
    public async Task Keep_qc_limits_variants_and_samples_as_plink2_extract_and_keep()
    {
        var (bed, dataset) = Cohort("qc", [300, 200], 0.04, 5);
        QcResult qc = await QualityControl.RunAsync(new InProcessExecutor(new TileCache(1 << 20)), dataset, new QcThresholds(Maf: 0.1, SampleMaxMissing: 0.041), null, CancellationToken.None);
        string qcDir = _dir.File("qc-out");
        QcOutput.Write(qc, qcDir, QcFormat.Tsv);
        QcFilter filter = QcFilter.Load(qcDir, dataset);
        Assert.True(filter.SampleIndices.Count < dataset.SampleCount && filter.VariantIndices.Count < dataset.VariantCount, "the filter must drop samples and variants");
        string dir = Path.GetDirectoryName(bed)!;
        Plink2.Run(dir, "--bfile", bed, "--maf", "0.1", "--mind", "0.041", "--write-snplist", "--write-samples", "--out", "k");
        string[] plink = Plink(bed, "50", "5", "0.5", "--extract", Path.Combine(dir, "k.snplist"), "--keep", Path.Combine(dir, "k.id"));
        LdPruneResult result = await Run(dataset, new LdPruneSettings(), filter);
        Assert.Equal(filter.VariantIndices.Count, result.Variants.Length);
        Assert.Equal(plink, Ours(result, "qc-ld"));
    }
}
