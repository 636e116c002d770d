using System.Globalization;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;
using Parquet;

namespace GenoFlow.Analysis.Tests.Qc;

public sealed class QualityControlTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>1003 samples (not a multiple of 4) in blocks of 256, 1500 variants in regions of at most 97.</summary>
    private (string Bed, Dataset Dataset) Cohort(string name, double fst, double missing, ulong seed)
    {
        string dir = Directory.CreateDirectory(_dir.File(name)).FullName;
        var settings = new CohortSettings(Samples: 1003, Variants: 1500, Populations: 3, Fst: fst, MissingRate: missing, Seed: seed, CausalVariants: 10);
        var (bed, dataset) = TestSupport.Cohort.Create(dir, settings, variantsPerTile: 97, samplesPerTile: 256);
        Assert.True(dataset.RegionCount >= 16 && dataset.SampleBlockCount == 4, $"grid {dataset.RegionCount} x {dataset.SampleBlockCount}");
        return (bed, dataset);
    }

    private static Task<QcResult> Run(Dataset dataset, QcThresholds thresholds, int parallelism = 2) =>
        QualityControl.RunAsync(new InProcessExecutor(new TileCache(1 << 20), parallelism: parallelism), dataset, thresholds, null, CancellationToken.None);

    [Theory]
    [InlineData(0.02, 0.05, 11UL)]
    [InlineData(0.3, 0.01, 12UL)]
    public async Task Every_count_and_hwe_p_agree_with_plink2(double fst, double missing, ulong seed)
    {
        var (bed, dataset) = Cohort($"c{seed}", fst, missing, seed);
        QcResult result = await Run(dataset, QcThresholds.None);
        string dir = Path.GetDirectoryName(bed)!;
        Plink2.Run(dir, "--bfile", bed, "--freq", "counts", "--missing", "--hardy", "--sample-counts", "--geno-counts", "--out", "p");

        var gcount = Plink2.ReadTable(Path.Combine(dir, "p.gcount"));
        var hardy = Plink2.ReadTable(Path.Combine(dir, "p.hardy"));
        var acount = Plink2.ReadTable(Path.Combine(dir, "p.acount"));
        var vmiss = Plink2.ReadTable(Path.Combine(dir, "p.vmiss"));
        Assert.Equal(result.VariantCount, gcount.Count);
        int hweFailures = 0;
        for (int v = 0; v < gcount.Count; v++)
        {
            VariantQc q = result.Variant(v);
            Assert.Equal(Int(gcount[v], "HOM_REF_CT"), q.HomRef);
            Assert.Equal(Int(gcount[v], "HET_REF_ALT_CTS"), q.Het);
            Assert.Equal(Int(gcount[v], "TWO_ALT_GENO_CTS"), q.HomAlt);
            Assert.Equal(Int(gcount[v], "MISSING_CT"), q.Missing);
            Assert.Equal(Int(vmiss[v], "MISSING_CT"), q.Missing);
            Assert.Equal(Int(acount[v], "ALT_CTS"), q.Het + 2 * q.HomAlt);
            Assert.Equal(Int(acount[v], "OBS_CT"), 2 * q.Called);
            // plink2 prints P with 6 significant digits: agreement to rounding (5e-6 relative).
            double p = double.Parse(hardy[v]["P"], CultureInfo.InvariantCulture);
            Assert.True(p == 0 ? q.HweP < 1e-300 : Math.Abs(q.HweP - p) <= 5.01e-6 * p, $"variant {v}: hwe_p {q.HweP:R}, plink2 {p}");
            hweFailures += q.HweP < 1e-6 ? 1 : 0;
        }
        if (fst > 0.1)
        {
            Assert.True(hweFailures > 300, $"with Fst {fst} many variants should fail HWE at 1e-6, {hweFailures} did");
        }

        var scount = Plink2.ReadTable(Path.Combine(dir, "p.scount"));
        var smiss = Plink2.ReadTable(Path.Combine(dir, "p.smiss"));
        Assert.Equal(result.SampleCount, scount.Count);
        for (int s = 0; s < scount.Count; s++)
        {
            SampleQc q = result.Sample(s);
            Assert.Equal(result.Samples[s].SampleId, scount[s]["IID"]);
            Assert.Equal(Int(scount[s], "HOM_REF_CT"), q.HomRef);
            Assert.Equal(Int(scount[s], "HET_SNP_CT"), q.Het);
            Assert.Equal(Int(scount[s], "HOM_ALT_SNP_CT"), q.HomAlt);
            Assert.Equal(Int(scount[s], "MISSING_INCL_FEMALE_Y_CT"), q.Missing);
            Assert.Equal(Int(smiss[s], "MISSING_CT"), q.Missing);
        }
        Assert.True(result.Variant(0).Missing + result.Sample(0).Missing > 0 || missing == 0);
    }

    [Fact]
    public async Task Filters_keep_what_plink2_keeps_with_mind_applied_first()
    {
        var (bed, dataset) = Cohort("filters", fst: 0.15, missing: 0.03, seed: 21);
        var thresholds = new QcThresholds(Maf: 0.05, MaxMissing: 0.034, Hwe: 1e-5, SampleMaxMissing: 0.031);
        QcResult result = await Run(dataset, thresholds);
        string dir = Path.GetDirectoryName(bed)!;
        Plink2.Run(dir, "--bfile", bed, "--maf", "0.05", "--geno", "0.034", "--hwe", "1e-5", "--mind", "0.031", "--write-snplist", "--write-samples", "--out", "f");

        string outDir = _dir.File("qc-out");
        QcOutput.Write(result, outDir, QcFormat.Tsv);
        string[] keptVariants = File.ReadAllLines(Path.Combine(outDir, "variants.keep")).Select(l => l.Split('\t')[1]).ToArray();
        string[] keptSamples = File.ReadAllLines(Path.Combine(outDir, "samples.keep")).Select(l => l.Split('\t')[1]).ToArray();
        Assert.Equal(File.ReadAllLines(Path.Combine(dir, "f.snplist")), keptVariants);
        Assert.Equal(Plink2.ReadTable(Path.Combine(dir, "f.id")).Select(r => r["IID"]), keptSamples);

        QcSummary summary = result.Summary;
        Assert.InRange(summary.SamplesFailingMissing, 50, summary.Samples - 50);
        Assert.True(summary.VariantsFailingMaf > 0 && summary.VariantsFailingMissing > 0 && summary.VariantsFailingHwe > 0, summary.ToString());
        Assert.Equal(result.Samples.Count - summary.SamplesFailingMissing, result.CountedSamples);

        QcFilter filter = QcFilter.Load(outDir, dataset);
        Assert.Equal(summary.VariantsPassing, filter.VariantIndices.Count);
        Assert.Equal(summary.SamplesPassing, filter.SampleIndices.Count);
        Assert.All(filter.VariantIndices, v => Assert.True(result.Variant(v).Pass));
        Assert.Equal(thresholds, filter.Thresholds);
    }

    [Fact]
    public async Task Results_do_not_depend_on_parallelism_and_outputs_are_complete_tables()
    {
        var (_, dataset) = Cohort("par", fst: 0.1, missing: 0.02, seed: 31);
        var thresholds = new QcThresholds(Hwe: 1e-6, SampleMaxMissing: 0.021);
        string one = _dir.File("one"), two = _dir.File("two"), parquet = _dir.File("pq");
        var progress = new List<double>();
        QcResult r1 = await QualityControl.RunAsync(new InProcessExecutor(new TileCache(0), parallelism: 1), dataset, thresholds, new SyncProgress(progress), CancellationToken.None);
        QcOutput.Write(r1, one, QcFormat.Tsv);
        QcOutput.Write(await Run(dataset, thresholds, parallelism: 2), two, QcFormat.Tsv);
        foreach (string file in new[] { "variant_qc.tsv", "sample_qc.tsv", "variants.keep", "samples.keep" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(one, file)), File.ReadAllBytes(Path.Combine(two, file)));
        }
        Assert.Equal(1.0, progress[^1]);
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.First <= p.Second), "progress only grows");

        string[] variantLines = File.ReadAllLines(Path.Combine(one, "variant_qc.tsv"));
        Assert.Equal(QcOutput.VariantHeader, variantLines[0]);
        Assert.Equal(1501, variantLines.Length);
        string[] fields = variantLines[1].Split('\t');
        VariantQc first = r1.Variant(0);
        Assert.Equal(first.HweP, double.Parse(fields[11], CultureInfo.InvariantCulture));
        Assert.Equal(first.AltFrequency, double.Parse(fields[10], CultureInfo.InvariantCulture));
        Assert.Equal(QcOutput.SampleHeader, File.ReadLines(Path.Combine(one, "sample_qc.tsv")).First());

        QcOutput.Write(r1, parquet, QcFormat.Parquet);
        await using (FileStream stream = File.OpenRead(Path.Combine(parquet, "variant_qc.parquet")))
        await using (ParquetReader reader = await ParquetReader.CreateAsync(stream))
        {
            Assert.Equal(["chrom", "pos", "id", "ref", "alt", "n_hom_ref", "n_het", "n_hom_alt", "n_missing", "call_rate", "alt_freq", "hwe_p", "pass"],
                reader.Schema.GetDataFields().Select(f => f.Name));
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(0);
            var hwe = new double[group.RowCount];
            await group.ReadAsync<double>(reader.Schema.GetDataFields()[11], hwe, null, default);
            Assert.Equal(Enumerable.Range(0, 1500).Select(v => r1.Variant(v).HweP), hwe);
        }
        Assert.False(File.Exists(Path.Combine(parquet, "variant_qc.tsv")));
    }

    [Fact]
    public async Task Output_is_never_half_written_and_a_filter_is_refused_on_another_dataset()
    {
        var (_, dataset) = Cohort("atomic", fst: 0.05, missing: 0.01, seed: 41);
        var (_, other) = Cohort("other", fst: 0.05, missing: 0.01, seed: 42);
        QcResult result = await Run(dataset, new QcThresholds(Maf: 0.1));
        string outDir = _dir.File("qc");
        QcOutput.Write(result, outDir, QcFormat.Tsv);
        byte[] before = File.ReadAllBytes(Path.Combine(outDir, QcFilterFile.FileName));

        var e = Assert.Throws<DatasetException>(() => QcFilter.Load(outDir, other));
        Assert.Contains("another dataset", e.Message);

        // Damage the variants table: writing streams it and fails part way; the old output stays as it was, no staging is left.
        string variants = Directory.GetFiles(dataset.Path, "variants*.parquet", SearchOption.AllDirectories).Single();
        File.WriteAllBytes(variants, [1, 2, 3]);
        Assert.Throws<GenoFlowFormatException>(() => QcOutput.Write(result, outDir, QcFormat.Parquet));
        Assert.Throws<GenoFlowFormatException>(() => QcOutput.Write(result, _dir.File("fresh"), QcFormat.Tsv));
        Assert.False(Directory.Exists(_dir.File("fresh")));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(outDir, QcFilterFile.FileName)));
        Assert.Empty(Directory.GetDirectories(_dir.Path, ".*tmp-*"));
        Assert.Equal(result.Summary.VariantsPassing, QcFilter.Load(outDir, dataset).VariantIndices.Count);

        // An edited keep file is detected.
        File.AppendAllText(Path.Combine(outDir, "samples.keep"), "5\tx\n");
        Assert.Throws<GenoFlowFormatException>(() => QcFilter.Load(outDir, dataset));
    }

    private static long Int(Dictionary<string, string> row, string column) => long.Parse(row[column], CultureInfo.InvariantCulture);

    private sealed class SyncProgress(List<double> values) : IProgress<double>
    {
        public void Report(double value) => values.Add(value);
    }
}
