using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Ld;

/// <summary>
/// A cohort with real LD (the simulator draws variants independently): each variant is either fresh (frequency
/// U(0.05, 0.95)) or a copy of one of the previous 12 with a share of its genotypes redrawn, so r² runs from ~0 to 1.
/// Written as a bed fileset and imported with small tiles, so windows cross region and block boundaries.
/// </summary>
internal static class LdCohort
{
    public static (string BedPrefix, Dataset Dataset) Create(string directory, int samples, int[] variantsPerContig, double missing, int seed, int variantsPerTile = 37, int samplesPerTile = 256)
    {
        var random = new Random(seed);
        string prefix = Path.Combine(directory, "ld");
        var sampleInfo = Enumerable.Range(0, samples).Select(s => new SampleInfo($"f{s}", $"s{s}")).ToList();
        var history = new List<sbyte[]>();
        int id = 0;
        using (BedWriter bed = BedWriter.Create(prefix, sampleInfo))
        {
            for (int c = 0; c < variantsPerContig.Length; c++)
            {
                for (int v = 0; v < variantsPerContig[c]; v++)
                {
                    var g = new sbyte[samples];
                    double p = 0.05 + 0.9 * random.NextDouble();
                    bool copy = history.Count > 0 && random.NextDouble() < 0.6;
                    sbyte[]? source = copy ? history[history.Count - 1 - random.Next(Math.Min(12, history.Count))] : null;
                    double redraw = random.NextDouble() * 0.5;
                    for (int s = 0; s < samples; s++)
                    {
                        g[s] = source is not null && source[s] >= 0 && random.NextDouble() >= redraw
                            ? source[s]
                            : (sbyte)((random.NextDouble() < p ? 1 : 0) + (random.NextDouble() < p ? 1 : 0));
                    }
                    history.Add(g);
                    var withMissing = g.Select(x => random.NextDouble() < missing ? (sbyte)-1 : x).ToArray();
                    byte[] row = new byte[PackedGenotypes.RowBytes(samples)];
                    PackedGenotypes.Pack(withMissing, row);
                    bed.Write(new VariantInfo((c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), 1000 + 1500L * v + random.Next(1000), $"v{id++}", "A", "G"), row);
                }
            }
            bed.Complete();
        }
        return (prefix, Cohort.Import(prefix, directory, variantsPerTile, samplesPerTile));
    }
}
