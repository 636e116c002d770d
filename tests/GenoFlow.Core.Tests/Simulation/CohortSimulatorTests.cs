using System.Globalization;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Tests.TestSupport;

namespace GenoFlow.Core.Tests.Simulation;

public sealed class CohortSimulatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private MemoryGenotypeWriter Simulate(CohortSettings settings, string name = "pheno.tsv")
    {
        var simulator = new CohortSimulator(settings);
        var writer = new MemoryGenotypeWriter(settings.Samples);
        simulator.Run([writer], _dir.File(name));
        return writer;
    }

    /// <summary>Writes a bed fileset and the phenotype files into a subdirectory; returns the directory.</summary>
    private string SimulateToBed(CohortSettings settings, string name, int maxThreads = -1)
    {
        string dir = Directory.CreateDirectory(_dir.File(name)).FullName;
        var simulator = new CohortSimulator(settings) { MaxDegreeOfParallelism = maxThreads };
        using BedWriter bed = BedWriter.Create(Path.Combine(dir, "cohort"), simulator.Samples);
        simulator.Run([bed], Path.Combine(dir, "phenotypes.tsv"));
        bed.Complete();
        return dir;
    }

    private static byte[] Bytes(string dir, string file) => File.ReadAllBytes(Path.Combine(dir, file));

    [Theory]
    [InlineData(0, 10, 1, 0.1, 0.0, 22, 0.5, 0.2, "Samples")]
    [InlineData(10, 0, 1, 0.1, 0.0, 22, 0.5, 0.2, "Variants")]
    [InlineData(10, 10, 11, 0.1, 0.0, 22, 0.5, 0.2, "Populations")]
    [InlineData(10, 10, 2, 1.0, 0.0, 22, 0.5, 0.2, "Fst")]
    [InlineData(10, 10, 2, -0.1, 0.0, 22, 0.5, 0.2, "Fst")]
    [InlineData(10, 10, 2, 0.1, 1.0, 22, 0.5, 0.2, "MissingRate")]
    [InlineData(10, 10, 2, 0.1, 0.0, 23, 0.5, 0.2, "Chromosomes")]
    [InlineData(10, 10, 2, 0.1, 0.0, 22, 1.5, 0.2, "Heritability")]
    [InlineData(10, 10, 2, 0.1, 0.0, 22, 0.5, 0.0, "Prevalence")]
    public void Invalid_settings_are_rejected_naming_the_setting(int n, int m, int k, double fst, double missing, int chroms, double h2, double prevalence, string setting)
    {
        var settings = new CohortSettings(n, m, k, fst, missing, Chromosomes: chroms, Heritability: h2, Prevalence: prevalence);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CohortSimulator(settings));
        Assert.Equal(setting, e.ParamName);
        Assert.Contains("must", e.Message);
    }

    [Fact]
    public void Same_seed_gives_the_same_bytes_whatever_the_thread_count()
    {
        var settings = new CohortSettings(1_001, 700, Populations: 3, MissingRate: 0.02, Seed: 99, CausalVariants: 20);
        string a = SimulateToBed(settings, "a");
        string b = SimulateToBed(settings, "b");
        string single = SimulateToBed(settings, "single", maxThreads: 1);
        foreach (string file in new[] { "cohort.bed", "cohort.bim", "cohort.fam", "phenotypes.tsv", CohortSimulator.CausalVariantsFileName })
        {
            Assert.True(Bytes(a, file).AsSpan().SequenceEqual(Bytes(b, file)), $"{file} differs between two runs");
            Assert.True(Bytes(a, file).AsSpan().SequenceEqual(Bytes(single, file)), $"{file} differs between parallel and single-threaded runs");
        }
    }

    [Fact]
    public void Different_seeds_give_different_cohorts()
    {
        string a = SimulateToBed(new CohortSettings(200, 300, Seed: 1), "s1");
        string b = SimulateToBed(new CohortSettings(200, 300, Seed: 2), "s2");
        Assert.False(Bytes(a, "cohort.bed").AsSpan().SequenceEqual(Bytes(b, "cohort.bed")));
        Assert.False(Bytes(a, "phenotypes.tsv").AsSpan().SequenceEqual(Bytes(b, "phenotypes.tsv")));
    }

    [Theory]
    [InlineData(0.1, 0.02)]
    [InlineData(0.0, 0.005)]
    [InlineData(0.3, 0.03)]
    public void Fst_estimated_from_the_genotypes_matches_the_setting(double fst, double tolerance)
    {
        var settings = new CohortSettings(3_000, 2_000, Populations: 3, Fst: fst, MissingRate: 0.01, Seed: 5);
        var simulator = new CohortSimulator(settings);
        var writer = new MemoryGenotypeWriter(settings.Samples);
        simulator.Run([writer], _dir.File("p.tsv"));
        Assert.Equal(fst, PopulationStatistics.HudsonFst(writer, simulator.PopulationOfSample, 3), tolerance);
    }

    [Fact]
    public void Missing_rate_and_hardy_weinberg_proportions_hold()
    {
        var settings = new CohortSettings(2_000, 600, Populations: 1, Fst: 0, MissingRate: 0.05, Seed: 8);
        MemoryGenotypeWriter writer = Simulate(settings);
        long missing = 0;
        long total = 0;
        double hetObserved = 0;
        double hetExpected = 0;
        double meanFrequency = 0;
        for (int v = 0; v < writer.Rows.Count; v++)
        {
            sbyte[] counts = writer.AltCounts(v);
            int observed = counts.Count(c => c >= 0);
            double p = counts.Where(c => c >= 0).Sum(c => c) / (2.0 * observed);
            missing += counts.Length - observed;
            total += counts.Length;
            hetObserved += counts.Count(c => c == 1);
            hetExpected += 2 * p * (1 - p) * observed;
            meanFrequency += p / writer.Rows.Count;
        }
        Assert.Equal(0.05, (double)missing / total, 0.002);
        Assert.Equal(1.0, hetObserved / hetExpected, 0.01);
        // Ancestral frequencies are Uniform(0.05, 0.95).
        Assert.Equal(0.5, meanFrequency, 0.03);
    }

    [Fact]
    public void Samples_and_variants_are_laid_out_as_documented()
    {
        var settings = new CohortSettings(10, 100, Populations: 3, Chromosomes: 4);
        var simulator = new CohortSimulator(settings);
        Assert.Equal(["pop1", "pop1", "pop1", "pop2", "pop2", "pop2", "pop3", "pop3", "pop3", "pop3"], simulator.PopulationOfSample);
        Assert.Equal("pop2_s000004", simulator.Samples[4].SampleId);
        Assert.All(simulator.Samples, s => Assert.Contains(s.Sex, new[] { 1, 2 }));

        var writer = new MemoryGenotypeWriter(10);
        simulator.Run([writer], _dir.File("p.tsv"));
        List<VariantInfo> variants = writer.Variants;
        Assert.Equal(100, variants.Count);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"rs{i}"), variants.Select(v => v.Id));
        Assert.Equal(["1", "2", "3", "4"], variants.Select(v => v.Chrom).Distinct());
        Assert.All(variants.GroupBy(v => v.Chrom), g => Assert.InRange(g.Count(), 24, 26));
        for (int i = 1; i < variants.Count; i++)
        {
            if (variants[i].Chrom == variants[i - 1].Chrom)
            {
                Assert.InRange(variants[i].Position - variants[i - 1].Position, 1, CohortSimulator.MaxPositionGap);
            }
        }
        Assert.All(variants, v =>
        {
            Assert.Contains(v.Ref, new[] { "A", "C", "G", "T" });
            Assert.Contains(v.Alt, new[] { "A", "C", "G", "T" });
            Assert.NotEqual(v.Ref, v.Alt);
        });
        Assert.True(variants.Select(v => v.Ref).Distinct().Count() == 4, "REF alleles should use all four bases");
    }

    [Fact]
    public void Fewer_variants_than_chromosomes_use_one_chromosome_per_variant()
    {
        MemoryGenotypeWriter writer = Simulate(new CohortSettings(4, 3, Populations: 2));
        Assert.Equal(["1", "2", "3"], writer.Variants.Select(v => v.Chrom));
    }

    private static List<string[]> ReadTsv(string path) => [.. File.ReadLines(path).Select(l => l.Split('\t'))];

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average();
        double my = y.Average();
        double sxy = x.Zip(y).Sum(t => (t.First - mx) * (t.Second - my));
        return sxy / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    /// <summary>Recomputes each sample's genetic value from the rows and causal_variants.tsv.</summary>
    private double[] TrueGeneticValues(MemoryGenotypeWriter writer)
    {
        var index = writer.Variants.Select((v, i) => (v.Id, i)).ToDictionary(t => t.Id, t => t.i);
        var genetic = new double[writer.SampleCount];
        foreach (string[] line in ReadTsv(_dir.File(CohortSimulator.CausalVariantsFileName)).Skip(1))
        {
            double beta = double.Parse(line[4], CultureInfo.InvariantCulture);
            sbyte[] counts = writer.AltCounts(index[line[0]]);
            double[] present = [.. counts.Where(c => c >= 0).Select(c => (double)c)];
            double mean = present.Average();
            double sd = Math.Sqrt(present.Sum(x => (x - mean) * (x - mean)) / present.Length);
            Assert.Equal(mean / 2, double.Parse(line[3], CultureInfo.InvariantCulture), 1e-5);
            for (int i = 0; i < counts.Length; i++)
            {
                genetic[i] += counts[i] < 0 || sd == 0 ? 0 : beta * (counts[i] - mean) / sd;
            }
        }
        return genetic;
    }

    [Fact]
    public void Phenotypes_follow_the_genetic_model()
    {
        var settings = new CohortSettings(4_000, 400, Populations: 2, CausalVariants: 50, Heritability: 0.5, Prevalence: 0.2, Seed: 3);
        MemoryGenotypeWriter writer = Simulate(settings);

        List<string[]> rows = ReadTsv(_dir.File("pheno.tsv"));
        Assert.Equal(["sample_id", "population", "trait_q", "trait_b", "age", "sex"], rows[0]);
        Assert.Equal(4_001, rows.Count);
        var simulator = new CohortSimulator(settings);
        Assert.Equal(simulator.Samples.Select(s => s.SampleId), rows.Skip(1).Select(r => r[0]));
        Assert.Equal(simulator.PopulationOfSample, rows.Skip(1).Select(r => r[1]));
        double[] traitQ = [.. rows.Skip(1).Select(r => double.Parse(r[2], CultureInfo.InvariantCulture))];
        double[] traitB = [.. rows.Skip(1).Select(r => double.Parse(r[3], CultureInfo.InvariantCulture))];
        Assert.All(rows.Skip(1), r =>
        {
            Assert.Contains(r[3], new[] { "0", "1" });
            Assert.InRange(int.Parse(r[4], CultureInfo.InvariantCulture), 40, 70);
            Assert.Contains(r[5], new[] { "0", "1" });
        });

        List<string[]> causal = ReadTsv(_dir.File(CohortSimulator.CausalVariantsFileName));
        Assert.Equal(["variant_id", "chrom", "pos", "alt_freq", "beta"], causal[0]);
        Assert.Equal(51, causal.Count);

        double[] genetic = TrueGeneticValues(writer);
        double mean = genetic.Average();
        Assert.Equal(0.5, genetic.Sum(g => (g - mean) * (g - mean)) / genetic.Length, 1e-6);
        // Expected correlation sqrt(h2 / (1 + covariate variance)) is about 0.69.
        Assert.InRange(Correlation(genetic, traitQ), 0.64, 0.74);
        Assert.Equal(0.2, traitB.Average(), 0.025);
        Assert.True(Correlation(genetic, traitB) > 0.3, "cases should carry higher genetic values");
    }

    [Fact]
    public void Zero_heritability_leaves_the_trait_unrelated_to_genotypes()
    {
        var settings = new CohortSettings(3_000, 200, CausalVariants: 20, Heritability: 0, Seed: 4);
        MemoryGenotypeWriter writer = Simulate(settings);
        double[] traitQ = [.. ReadTsv(_dir.File("pheno.tsv")).Skip(1).Select(r => double.Parse(r[2], CultureInfo.InvariantCulture))];
        Assert.All(ReadTsv(_dir.File(CohortSimulator.CausalVariantsFileName)).Skip(1), l => Assert.Equal(0, double.Parse(l[4], CultureInfo.InvariantCulture)));
        double mean = traitQ.Average();
        Assert.Equal(1.0, traitQ.Sum(t => (t - mean) * (t - mean)) / traitQ.Length, 0.1);
        Assert.Equal(200, writer.Variants.Count);
    }

    [Fact]
    public void Without_causal_variants_the_trait_is_noise_of_unit_variance()
    {
        Simulate(new CohortSettings(3_000, 50, CausalVariants: 0, Heritability: 0.8, Seed: 6));
        double[] traitQ = [.. ReadTsv(_dir.File("pheno.tsv")).Skip(1).Select(r => double.Parse(r[2], CultureInfo.InvariantCulture))];
        double mean = traitQ.Average();
        Assert.Equal(1.0, traitQ.Sum(t => (t - mean) * (t - mean)) / traitQ.Length, 0.1);
        Assert.Single(ReadTsv(_dir.File(CohortSimulator.CausalVariantsFileName)));
    }

    [Fact]
    public void Extreme_fst_fixes_alleles_within_populations_without_failing()
    {
        var settings = new CohortSettings(400, 200, Populations: 2, Fst: 0.99, MissingRate: 0, Seed: 10);
        var simulator = new CohortSimulator(settings);
        var writer = new MemoryGenotypeWriter(400);
        simulator.Run([writer], _dir.File("p.tsv"));
        // With F = 0.99 nearly every population is fixed for one allele, so heterozygotes all but vanish.
        long het = Enumerable.Range(0, 200).Sum(v => writer.AltCounts(v).Count(c => c == 1));
        Assert.True(het < 0.02 * 400 * 200, $"expected almost no heterozygotes, found {het}");
        Assert.Equal(0.99, PopulationStatistics.HudsonFst(writer, simulator.PopulationOfSample, 2), 0.05);
    }

    [Fact]
    public void Progress_rises_to_one_and_cancellation_stops_before_phenotypes()
    {
        var settings = new CohortSettings(50, 1_000);
        var reports = new List<double>();
        var simulator = new CohortSimulator(settings);
        simulator.Run([new MemoryGenotypeWriter(50)], _dir.File("p.tsv"), new SynchronousProgress(reports.Add));
        Assert.Equal(1.0, reports[^1]);
        Assert.True(reports.Count >= 4, $"expected a report per chunk of variants, got {reports.Count}");
        Assert.Equal(reports.Order(), reports);

        using var cts = new CancellationTokenSource();
        var writer = new MemoryGenotypeWriter(50);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            simulator.Run([writer], _dir.File("cancelled.tsv"), new SynchronousProgress(_ => cts.Cancel()), cts.Token));
        Assert.False(File.Exists(_dir.File("cancelled.tsv")));
        Assert.InRange(writer.Variants.Count, 1, 999);
        Assert.False(writer.Completed);
    }

    [Fact]
    public void Plink2_reads_the_simulated_bed()
    {
        string dir = SimulateToBed(new CohortSettings(301, 500, MissingRate: 0.02, Seed: 12), "plink");
        Plink2.Run(dir, "--bfile", "cohort", "--freq", "--missing", "--out", "check");
        string[] afreq = File.ReadAllLines(Path.Combine(dir, "check.afreq"));
        Assert.Equal(501, afreq.Length);
        string[] smiss = File.ReadAllLines(Path.Combine(dir, "check.smiss"));
        Assert.Equal(302, smiss.Length);
        // Overall missingness as plink2 sees it: mean of F_MISS over samples.
        double missing = smiss.Skip(1).Average(l => double.Parse(l.Split('\t')[^1], CultureInfo.InvariantCulture));
        Assert.Equal(0.02, missing, 0.004);
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
