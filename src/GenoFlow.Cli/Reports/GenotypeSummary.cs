using Apache.Arrow;
using GenoFlow.Core.Kernels;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Reports;

/// <summary>
/// Whole-dataset genotype counts, reduced tile by tile in tile order: what the pipeline prints after import.
/// </summary>
internal sealed record GenotypeSummary(long Variants, long Samples, GenotypeCounts Totals, long Monomorphic, long[] MinorAlleleFrequencyBins)
{
    /// <summary>Upper edges of the minor allele frequency bins.</summary>
    public static readonly double[] BinEdges = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5];

    public static GenotypeSummary Compute(Dataset dataset, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var totals = default(GenotypeCounts);
        long monomorphic = 0;
        long[] bins = new long[BinEdges.Length];
        int samplesPerTile = dataset.Manifest.SamplesPerTile;
        for (int region = 0; region < dataset.RegionCount; region++)
        {
            GenotypeCounts[]? perVariant = null;
            for (int block = 0; block < dataset.SampleBlockCount; block++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int blockSamples = Math.Min(samplesPerTile, dataset.SampleCount - (block * samplesPerTile));
                using RecordBatch tile = dataset.ReadTile(region, block);
                var genotypes = (BinaryArray)tile.Column("genotypes");
                perVariant ??= new GenotypeCounts[genotypes.Length];
                for (int v = 0; v < genotypes.Length; v++)
                {
                    perVariant[v] += VariantCounter.CountUnsafe(genotypes.GetBytes(v), blockSamples);
                }
            }
            foreach (GenotypeCounts counts in perVariant ?? [])
            {
                totals += counts;
                double altFrequency = counts.AltFrequency;
                double minor = Math.Min(altFrequency, 1 - altFrequency);
                if (double.IsNaN(minor) || minor == 0)
                {
                    monomorphic++;
                    continue;
                }
                int bin = System.Array.FindIndex(BinEdges, edge => minor <= edge);
                bins[bin]++;
            }
            progress?.Report((region + 1.0) / dataset.RegionCount);
        }
        return new GenotypeSummary(dataset.VariantCount, dataset.SampleCount, totals, monomorphic, bins);
    }

    public void Print(TextWriter output)
    {
        double all = Totals.Total;
        output.WriteLine($"genotypes: {all:N0} ({Samples:N0} samples x {Variants:N0} variants)");
        output.WriteLine($"  hom REF {Totals.HomRef / all:P2}, het {Totals.Het / all:P2}, hom ALT {Totals.HomAlt / all:P2}, missing {Totals.Missing / all:P2}");
        output.WriteLine($"  monomorphic variants: {Monomorphic:N0}");
        output.WriteLine("  minor allele frequency:");
        double lower = 0;
        for (int i = 0; i < BinEdges.Length; i++)
        {
            output.WriteLine($"    ({lower:F2}, {BinEdges[i]:F2}]  {MinorAlleleFrequencyBins[i],10:N0}");
            lower = BinEdges[i];
        }
    }
}
