using System.Globalization;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Tests.TestSupport;

namespace GenoFlow.Core.Tests.Simulation;

/// <summary>The haplotype-mosaic model: determinism, LD decay against the asked recombination rate, spectrum, Fst, layout.</summary>
public sealed class MosaicModelTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CohortSettings Mosaic(int samples, int variants, MosaicSettings mosaic, int populations = 1, double fst = 0, double missing = 0, ulong seed = 1, int chromosomes = 1) =>
        new(samples, variants, populations, fst, missing, seed, chromosomes, CausalVariants: 10) { Mosaic = mosaic };

    private (CohortSimulator Simulator, MemoryGenotypeWriter Writer) Simulate(CohortSettings settings, string name = "pheno.tsv")
    {
        var simulator = new CohortSimulator(settings);
        var writer = new MemoryGenotypeWriter(settings.Samples);
        simulator.Run([writer], _dir.File(name));
        return (simulator, writer);
    }

    private static List<string[]> ReadTsv(string path) => [.. File.ReadLines(path).Select(l => l.Split('\t'))];

    [Fact]
    public void Same_seed_gives_the_same_bytes_whatever_the_thread_count()
    {
        var settings = Mosaic(1_001, 700, new MosaicSettings(PoolHaplotypes: 30, AdmixedShare: 0.2, FirstDegreePairs: 3, SecondDegreePairs: 3, Order: SampleOrder.Shuffled, HotspotSpacingKb: 50),
            populations: 3, fst: 0.1, missing: 0.02, seed: 99, chromosomes: 3) with { CausalVariants = 20 };
        string[] runs = [Run(settings, "a", -1), Run(settings, "b", -1), Run(settings, "single", 1)];
        foreach (string file in new[] { "cohort.bed", "cohort.bim", "cohort.fam", "phenotypes.tsv", CohortSimulator.CausalVariantsFileName, CohortSimulator.RelativesFileName })
        {
            byte[] first = File.ReadAllBytes(Path.Combine(runs[0], file));
            Assert.True(first.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(runs[1], file))), $"{file} differs between two runs");
            Assert.True(first.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(runs[2], file))), $"{file} differs between parallel and single-threaded runs");
        }
        string other = Run(settings with { Seed = 100 }, "other", -1);
        Assert.False(File.ReadAllBytes(Path.Combine(runs[0], "cohort.bed")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other, "cohort.bed"))));
    }

    private string Run(CohortSettings settings, string name, int threads)
    {
        string dir = Directory.CreateDirectory(_dir.File(name)).FullName;
        var simulator = new CohortSimulator(settings) { MaxDegreeOfParallelism = threads };
        using BedWriter bed = BedWriter.Create(Path.Combine(dir, "cohort"), simulator.Samples);
        simulator.Run([bed], Path.Combine(dir, "phenotypes.tsv"));
        bed.Complete();
        return dir;
    }

    /// <summary>
    /// Copying the same template at two variants d bp apart happens with probability e^(−λd), λ = 4·Ne·r/H, and r is
    /// then the pool's r: mean r² by distance is a baseline (sampling noise) plus A·e^(−2λd). The decay rate fitted to
    /// the binned curve must match 2λ from the settings.
    /// </summary>
    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void Ld_decays_with_distance_at_the_rate_the_recombination_rate_sets(double cmPerMb)
    {
        var mosaic = new MosaicSettings(PoolHaplotypes: 50, RecombinationRate: cmPerMb, VariantSpacing: 1_000, MafMin: 0.2);
        (_, MemoryGenotypeWriter writer) = Simulate(Mosaic(1_000, 3_000, mosaic, seed: 21));
        double expectedRate = 2 * mosaic.SwitchesPerMorgan * cmPerMb * 1e-8;
        // Bins of an eighth of an e-fold of the expected decay, out to 7.5 e-folds.
        double binBp = 1 / (8 * expectedRate);
        const int bins = 60;
        var sum = new double[bins];
        var pairs = new int[bins];
        sbyte[][] dosages = [.. Enumerable.Range(0, writer.Rows.Count).Select(writer.AltCounts)];
        for (int a = 0; a < dosages.Length; a++)
        {
            for (int b = a + 1; b < dosages.Length; b++)
            {
                int bin = (int)((writer.Variants[b].Position - writer.Variants[a].Position) / binBp);
                if (bin >= bins)
                {
                    break;
                }
                double r2 = LdDecay.R2(dosages[a], dosages[b]);
                if (!double.IsNaN(r2))
                {
                    sum[bin] += r2;
                    pairs[bin]++;
                }
            }
        }
        double[] mean = [.. sum.Zip(pairs, (s, n) => s / n)];
        // Baseline: pairs far beyond the decay (e^(−2λd) < 0.5%).
        int far = (int)Math.Ceiling(Math.Log(200) / expectedRate / binBp);
        Assert.True(far < bins - 5, "the test needs bins beyond the decay");
        double baseline = mean[far..].Average();
        Assert.True(mean[0] > 20 * baseline, $"short-range r² {mean[0]:F3} should be far above the long-range {baseline:F4}");

        // Least-squares slope of ln(mean − baseline) over the bins still well above the baseline.
        var points = Enumerable.Range(0, bins).Where(b => mean[b] - baseline > 10 * baseline).Select(b => ((b + 0.5) * binBp, Math.Log(mean[b] - baseline))).ToList();
        Assert.True(points.Count >= 4, $"only {points.Count} bins above the baseline");
        double mx = points.Average(p => p.Item1);
        double my = points.Average(p => p.Item2);
        double slope = points.Sum(p => (p.Item1 - mx) * (p.Item2 - my)) / points.Sum(p => (p.Item1 - mx) * (p.Item1 - mx));
        Assert.InRange(-slope / expectedRate, 0.85, 1.15);
    }

    [Fact]
    public void The_allele_frequency_spectrum_is_the_neutral_one()
    {
        const double lowest = 0.01;
        (_, MemoryGenotypeWriter writer) = Simulate(Mosaic(2_000, 4_000, new MosaicSettings(MafMin: lowest), seed: 3, chromosomes: 4));
        double[] maf = [.. Enumerable.Range(0, writer.Rows.Count).Select(v =>
        {
            sbyte[] counts = writer.AltCounts(v);
            double p = counts.Sum(c => (double)c) / (2.0 * counts.Length);
            return Math.Min(p, 1 - p);
        })];
        // Derived-allele density 1/x on [0.01, 0.99]: MAF is below m when x < m or x > 1 − m.
        foreach (double m in new[] { 0.02, 0.05, 0.2 })
        {
            double expected = (Math.Log(m / lowest) + Math.Log((1 - lowest) / (1 - m))) / Math.Log((1 - lowest) / lowest);
            Assert.Equal(expected, maf.Count(x => x < m) / (double)maf.Length, 0.03);
        }
    }

    [Theory]
    [InlineData(0.05, 0.01)]
    [InlineData(0.2, 0.03)]
    public void Fst_estimated_from_the_genotypes_matches_the_setting(double fst, double tolerance)
    {
        var settings = Mosaic(3_000, 2_000, new MosaicSettings(MafMin: 0.05, Order: SampleOrder.Shuffled), populations: 3, fst: fst, missing: 0.01, seed: 5, chromosomes: 5);
        (CohortSimulator simulator, MemoryGenotypeWriter writer) = Simulate(settings);
        Assert.Equal(fst, PopulationStatistics.HudsonFst(writer, simulator.PopulationOfSample, 3), tolerance);
    }

    [Fact]
    public void Samples_admixture_and_relatives_are_laid_out_as_documented()
    {
        var mosaic = new MosaicSettings(AdmixedShare: 0.25, FirstDegreePairs: 4, SecondDegreePairs: 3, Order: SampleOrder.Shuffled);
        var settings = Mosaic(200, 300, mosaic, populations: 3, fst: 0.1, chromosomes: 3);
        (CohortSimulator simulator, MemoryGenotypeWriter writer) = Simulate(settings);

        Assert.Equal(50, simulator.PopulationOfSample.Count(p => p == "admixed"));
        Assert.All(new[] { "pop1", "pop2", "pop3" }, p => Assert.InRange(simulator.PopulationOfSample.Count(x => x == p), 49, 51));
        Assert.NotEqual(simulator.PopulationOfSample.Order(StringComparer.Ordinal), simulator.PopulationOfSample);
        Assert.All(simulator.Samples.Select((s, i) => (s, i)), t => Assert.Equal($"{simulator.PopulationOfSample[t.i]}_s{t.i:D6}", t.s.SampleId));

        List<string[]> pheno = ReadTsv(_dir.File("pheno.tsv"));
        Assert.Equal(["sample_id", "population", "trait_q", "trait_b", "age", "sex", "ancestry_pop1", "ancestry_pop2", "ancestry_pop3"], pheno[0]);
        foreach (string[] row in pheno.Skip(1))
        {
            double[] ancestry = [.. row[6..].Select(x => double.Parse(x, CultureInfo.InvariantCulture))];
            Assert.Equal(1.0, ancestry.Sum(), 3);
            if (row[1] == "admixed")
            {
                Assert.True(ancestry.Count(a => a > 0) <= 2, $"{row[0]} should have two ancestries at most");
            }
            else
            {
                Assert.Equal(1.0, ancestry[int.Parse(row[1].AsSpan(3), CultureInfo.InvariantCulture) - 1]);
            }
        }

        List<string[]> relatives = ReadTsv(_dir.File(CohortSimulator.RelativesFileName));
        Assert.Equal(["sample_a", "sample_b", "degree", "relationship", "kinship"], relatives[0]);
        Assert.Equal(["1", "1", "1", "1", "2", "2", "2"], relatives.Skip(1).Select(r => r[2]));
        string[] paired = [.. relatives.Skip(1).SelectMany(r => r[..2])];
        Assert.Equal(paired.Length, paired.Distinct().Count());
        Assert.All(relatives.Skip(1), r => Assert.Equal(r[0].Split('_')[0], r[1].Split('_')[0]));
        Assert.DoesNotContain(relatives.Skip(1), r => r[0].StartsWith("admixed", StringComparison.Ordinal));

        // A parent and child share an allele at every variant where neither is missing.
        int[] ids = [.. relatives.Skip(1).Take(4).SelectMany(r => r[..2]).Select(id => int.Parse(id.AsSpan(id.IndexOf("_s", StringComparison.Ordinal) + 2), CultureInfo.InvariantCulture))];
        for (int v = 0; v < writer.Rows.Count; v++)
        {
            sbyte[] counts = writer.AltCounts(v);
            for (int p = 0; p < ids.Length; p += 2)
            {
                Assert.False(Math.Abs(counts[ids[p]] - counts[ids[p + 1]]) == 2, $"variant {v}: opposite homozygotes in a parent-offspring pair");
            }
        }
        List<VariantInfo> variants = writer.Variants;
        Assert.All(variants.Zip(variants.Skip(1)).Where(t => t.First.Chrom == t.Second.Chrom), t =>
        {
            Assert.InRange(t.Second.Position - t.First.Position, 1, (2 * mosaic.VariantSpacing) - 1);
            Assert.True(t.Second.CentiMorgans >= t.First.CentiMorgans, "genetic positions must not decrease");
        });
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(50.0)]
    public void The_genetic_map_keeps_the_average_rate_and_hotspots_concentrate_it(double hotspotSpacingKb)
    {
        var mosaic = new MosaicSettings(RecombinationRate: 1.5, HotspotSpacingKb: hotspotSpacingKb, HotspotShare: 0.8);
        (_, MemoryGenotypeWriter writer) = Simulate(Mosaic(4, 20_000, mosaic, seed: 9));
        List<VariantInfo> variants = writer.Variants;
        double megabases = (variants[^1].Position - variants[0].Position) / 1e6;
        Assert.Equal(1.5 * megabases, variants[^1].CentiMorgans, 0.08 * 1.5 * megabases);
        double[] steps = [.. variants.Zip(variants.Skip(1), (a, b) => b.CentiMorgans - a.CentiMorgans).OrderDescending()];
        // The 10% largest steps between adjacent variants: a tenth of the map when it is uniform, most of it with hotspots.
        double topShare = steps.Take(steps.Length / 10).Sum() / steps.Sum();
        Assert.InRange(topShare, hotspotSpacingKb == 0 ? 0.1 : 0.7, hotspotSpacingKb == 0 ? 0.25 : 1.0);
    }

    [Fact]
    public void A_cohort_of_admixed_samples_only_is_allowed()
    {
        (CohortSimulator simulator, MemoryGenotypeWriter writer) = Simulate(Mosaic(20, 50, new MosaicSettings(AdmixedShare: 1), populations: 2));
        Assert.All(simulator.PopulationOfSample, p => Assert.Equal("admixed", p));
        Assert.Equal(50, writer.Variants.Count);
    }

    [Fact]
    public void Causal_variants_come_in_blocks_of_adjacent_variants()
    {
        var settings = Mosaic(300, 1_000, new MosaicSettings(), seed: 7) with { CausalVariants = 20, CausalBlockSize = 5 };
        Simulate(settings);
        int[] causal = [.. ReadTsv(_dir.File(CohortSimulator.CausalVariantsFileName)).Skip(1).Select(r => int.Parse(r[0].AsSpan(2), CultureInfo.InvariantCulture) - 1)];
        Assert.Equal(20, causal.Length);
        Assert.All(causal.Chunk(5), block =>
        {
            Assert.Equal(0, block[0] % 5);
            Assert.Equal(Enumerable.Range(block[0], 5), block);
        });
    }

    [Theory]
    [InlineData(1, 0.0, 0, 0, 0.0, "PoolHaplotypes")]
    [InlineData(100, 0.0, 0, 0, 0.5, "MafMin")]
    [InlineData(100, 1.5, 0, 0, 0.0, "AdmixedShare")]
    [InlineData(100, 0.0, 60, 0, 0.0, "FirstDegreePairs")]
    [InlineData(100, 0.5, 0, 30, 0.0, "FirstDegreePairs")]
    public void Invalid_mosaic_settings_are_rejected_naming_the_setting(int pool, double admixed, int first, int second, double mafMin, string setting)
    {
        var settings = Mosaic(120, 10, new MosaicSettings(PoolHaplotypes: pool, AdmixedShare: admixed, FirstDegreePairs: first, SecondDegreePairs: second, MafMin: mafMin), populations: 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CohortSimulator(settings));
        Assert.Equal(setting, e.ParamName);
    }

    [Fact]
    public void Admixture_needs_two_populations()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CohortSimulator(Mosaic(50, 10, new MosaicSettings(AdmixedShare: 0.1))));
        Assert.Contains("2 populations", e.Message, StringComparison.Ordinal);
    }
}
