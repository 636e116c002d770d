using System.Globalization;
using System.Text;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Simulation;

/// <summary>
/// An expression-like table (<c>omics.tsv</c>: <c>sample_id omics_1 … omics_N</c>) measured on the simulated samples.
/// Feature k (from 1) is driven by the standardised genetic value g (k mod 3 = 1: 0.3·g + ε), by trait_q (k mod 3 = 2:
/// 0.2·trait_q + ε) or is noise (k mod 3 = 0: ε), ε ~ N(0, 1), then shifted and scaled as expression values are
/// (mean 5 + k/N, sd 1 + k/N), with 1% of values missing (NA). So omics carry the environmental part of the trait that
/// genotypes cannot, and genotypes what the noisy omics measure only in part.
/// </summary>
internal static class OmicsModel
{
    public const string FileName = "omics.tsv";
    public const int MaxFeatures = 100_000;
    private const double MissingRate = 0.01;

    public static void Write(string path, CohortSettings settings, IReadOnlyList<SampleInfo> samples, double[] standardisedGenetic, double[] traitQ, Xoshiro256 random)
    {
        int n = settings.Omics;
        var text = new StringBuilder("sample_id");
        for (int k = 1; k <= n; k++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\tomics_{k}");
        }
        text.Append('\n');
        for (int i = 0; i < samples.Count; i++)
        {
            text.Append(samples[i].SampleId);
            for (int k = 1; k <= n; k++)
            {
                double signal = (k % 3) switch
                {
                    1 => 0.3 * standardisedGenetic[i],
                    2 => 0.2 * traitQ[i],
                    _ => 0,
                };
                double value = 5 + ((double)k / n) + ((1 + ((double)k / n)) * (signal + random.NextNormal()));
                text.Append(random.NextDouble() < MissingRate ? "\tNA" : string.Create(CultureInfo.InvariantCulture, $"\t{value:G6}"));
            }
            text.Append('\n');
        }
        TraitModel.WriteAtomically(path, text.ToString());
    }
}
