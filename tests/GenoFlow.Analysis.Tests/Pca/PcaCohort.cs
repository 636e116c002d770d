using System.Globalization;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Pca;

/// <summary>
/// One simulated cohort shared by the PCA tests: 2,000 samples x 5,000 variants, 4 populations, no missing genotypes,
/// imported with 512-variant regions and 512-sample blocks (10 x 4 tiles), and plink2 --pca 6 (exact) on its bed.
/// </summary>
public sealed class PcaCohort : IDisposable
{
    public const int K = 6;
    private readonly TempDirectory _dir = new();

    public PcaCohort()
    {
        var settings = new CohortSettings(Samples: 2000, Variants: 5000, Populations: 4, Fst: 0.05, MissingRate: 0, Seed: 42, CausalVariants: 10);
        (Bed, Dataset) = Cohort.Create(_dir.Path, settings, variantsPerTile: 512, samplesPerTile: 512);
        Plink2.Run(_dir.Path, "--bfile", Bed, "--pca", K.ToString(CultureInfo.InvariantCulture), "--out", "plink");
        PlinkEigenvalues = File.ReadAllLines(_dir.File("plink.eigenval")).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var vectors = Plink2.ReadTable(_dir.File("plink.eigenvec"));
        PlinkScores = Enumerable.Range(0, K).Select(k => vectors.Select(row => double.Parse(row[$"PC{k + 1}"], CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Exact = Run(new PcaSettings(K, PcaMethod.Exact)).GetAwaiter().GetResult();
    }

    public string Bed { get; }

    public Dataset Dataset { get; }

    public double[] PlinkEigenvalues { get; }

    /// <summary>[pc][sample].</summary>
    public double[][] PlinkScores { get; }

    public PcaResult Exact { get; }

    public string Directory => _dir.Path;

    public Task<PcaResult> Run(PcaSettings settings, Dataset? dataset = null, bool[]? sampleKeep = null) =>
        PrincipalComponents.RunAsync(new InProcessExecutor(new TileCache(64 << 20), parallelism: 2, scratch: TestScratch.Root), dataset ?? Dataset, settings,
            TestScratch.Root.CreateStore(), sampleKeep: sampleKeep);

    /// <summary>[pc][sample] from a result's score pieces.</summary>
    public static double[][] Scores(PcaResult result, Dataset dataset)
    {
        var scores = Enumerable.Range(0, result.K).Select(_ => new double[dataset.SampleCount]).ToArray();
        for (int b = 0; b < dataset.SampleBlockCount; b++)
        {
            double[] piece = result.Store.Read<double>(PcaResult.ScoresPiece(b));
            for (int i = 0; i < piece.Length; i++)
            {
                scores[i % result.K][b * dataset.Manifest.SamplesPerTile + i / result.K] = piece[i];
            }
        }
        return scores;
    }

    public static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>PCs (0-based) whose eigenvalue is at least 2% above the next one's (with 4 equally drifted populations PC1-3 are 3-7% apart).</summary>
    public int[] SeparatedPcs() => Enumerable.Range(0, K - 1).Where(k => PlinkEigenvalues[k] > 1.02 * PlinkEigenvalues[k + 1]).ToArray();

    public void Dispose()
    {
        Dataset.Dispose();
        _dir.Dispose();
    }
}
