using System.Globalization;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Tests.TestSupport;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Core.Tests.Simulation;

/// <summary>What the mosaic model puts in must come back out of its genotypes: admixture proportions and kinship.</summary>
public sealed class MosaicRecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static List<string[]> ReadTsv(string path) => [.. File.ReadLines(path).Select(l => l.Split('\t'))];

    /// <summary>
    /// PCA of the unadmixed samples (HWE-normalised, top K−1 components), admixed samples projected on it: a sample of
    /// populations a and b lies on the segment between their centroids, at the share of a that its genome carries.
    /// </summary>
    [Fact]
    public void Admixture_proportions_are_recovered_by_projection_onto_population_pcs()
    {
        var settings = new CohortSettings(900, 3_000, Populations: 3, Fst: 0.1, MissingRate: 0, Seed: 17, CausalVariants: 0)
        {
            Mosaic = new MosaicSettings(VariantSpacing: 50_000, MafMin: 0.05, AdmixedShare: 1.0 / 3, Order: SampleOrder.Shuffled),
        };
        var simulator = new CohortSimulator(settings);
        var writer = new MemoryGenotypeWriter(settings.Samples);
        simulator.Run([writer], _dir.File("pheno.tsv"));
        string[] population = [.. simulator.PopulationOfSample];
        int[] reference = [.. Enumerable.Range(0, population.Length).Where(i => population[i] != "admixed")];
        int[] admixed = [.. Enumerable.Range(0, population.Length).Where(i => population[i] == "admixed")];
        Assert.Equal(300, admixed.Length);

        // Rows: samples; columns: variants polymorphic in the reference, scaled by the reference frequencies.
        var columns = new List<double[]>();
        for (int v = 0; v < writer.Rows.Count; v++)
        {
            sbyte[] counts = writer.AltCounts(v);
            double p = reference.Sum(i => (double)counts[i]) / (2.0 * reference.Length);
            if (p is > 0.01 and < 0.99)
            {
                double scale = 1 / Math.Sqrt(2 * p * (1 - p));
                columns.Add([.. counts.Select(c => (c - (2 * p)) * scale)]);
            }
        }
        Matrix<double> all = Matrix<double>.Build.Dense(population.Length, columns.Count, (i, j) => columns[j][i]);
        Matrix<double> loadings = Matrix<double>.Build.DenseOfRows(reference.Select(i => all.Row(i))).Svd(computeVectors: true).VT.SubMatrix(0, 2, 0, columns.Count);
        Matrix<double> scores = all * loadings.Transpose();
        Vector<double>[] centroid = [.. Enumerable.Range(1, 3).Select(k =>
            reference.Where(i => population[i] == $"pop{k}").Select(i => scores.Row(i)).Aggregate((a, b) => a + b) / reference.Count(i => population[i] == $"pop{k}"))];

        List<string[]> pheno = ReadTsv(_dir.File("pheno.tsv"));
        var errors = new List<double>();
        foreach (int i in admixed)
        {
            double[] ancestry = [.. pheno[i + 1][6..9].Select(x => double.Parse(x, CultureInfo.InvariantCulture))];
            int[] sources = [.. Enumerable.Range(0, 3).Where(k => ancestry[k] > 0)];
            int a = sources[0];
            int b = sources.Length > 1 ? sources[1] : (a + 1) % 3;
            Vector<double> axis = centroid[a] - centroid[b];
            double estimated = (scores.Row(i) - centroid[b]).DotProduct(axis) / axis.DotProduct(axis);
            errors.Add(estimated - (ancestry[a] / (ancestry[a] + ancestry[b])));
        }
        double rmse = Math.Sqrt(errors.Average(e => e * e));
        Assert.True(rmse < 0.04, $"admixture share recovered with RMSE {rmse:F3}; expected below 0.04");
        Assert.True(Math.Abs(errors.Average()) < 0.02, $"admixture shares are biased by {errors.Average():F3}");
    }

    /// <summary>KING-robust kinship by plink2: 0.25 for parent–offspring, 0.125 for half-siblings, nothing else related.</summary>
    [Fact]
    public void Relatives_have_the_kinship_plink2_make_king_table_expects()
    {
        var settings = new CohortSettings(300, 12_000, Populations: 2, Fst: 0.05, MissingRate: 0.01, Seed: 23, CausalVariants: 0)
        {
            // 22 chromosomes of ~55 Mb at 3 cM/Mb, 36 Morgans as in the human genome: the share half-siblings inherit
            // from their shared parent then varies by about as much as in real families (kinship sd ~0.02).
            Mosaic = new MosaicSettings(RecombinationRate: 3, VariantSpacing: 100_000, MafMin: 0.05, FirstDegreePairs: 5, SecondDegreePairs: 5, Order: SampleOrder.Shuffled),
        };
        string dir = _dir.Path;
        var simulator = new CohortSimulator(settings);
        using (BedWriter bed = BedWriter.Create(Path.Combine(dir, "cohort"), simulator.Samples))
        {
            simulator.Run([bed], Path.Combine(dir, "pheno.tsv"));
            bed.Complete();
        }
        // 0.0442 is KING's lower bound for third-degree relatives.
        Plink2.Run(dir, "--bfile", "cohort", "--make-king-table", "--king-table-filter", "0.0442", "--out", "king");
        var kinship = ReadTsv(Path.Combine(dir, "king.kin0")).Skip(1)
            .ToDictionary(r => Pair(r[1], r[3]), r => double.Parse(r[7], CultureInfo.InvariantCulture));
        List<string[]> relatives = ReadTsv(Path.Combine(dir, CohortSimulator.RelativesFileName)).Skip(1).ToList();
        Assert.Equal(relatives.Select(r => Pair(r[0], r[1])).Order(StringComparer.Ordinal), kinship.Keys.Order(StringComparer.Ordinal));
        foreach (string[] r in relatives)
        {
            double expected = double.Parse(r[4], CultureInfo.InvariantCulture);
            Assert.InRange(kinship[Pair(r[0], r[1])], expected * 0.6, expected * 1.4);
        }
        Assert.Equal(0.25, relatives.Where(r => r[2] == "1").Average(r => kinship[Pair(r[0], r[1])]), 0.015);
        Assert.Equal(0.125, relatives.Where(r => r[2] == "2").Average(r => kinship[Pair(r[0], r[1])]), 0.02);
    }

    private static string Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? $"{a} {b}" : $"{b} {a}";
}
