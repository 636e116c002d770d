using System.Globalization;
using System.Text;

namespace GenoFlow.Cli.Tests;

/// <summary>VCFs made by the tests (seeded), for the shapes simulated cohorts lack: dosages, LD runs, multi-allelic sites.</summary>
internal static class TestVcfs
{
    /// <summary>
    /// A VCF of random dosages (DS) or haplotype dosages (HDS) around 0, 1 and 2, some missing, plus a sample whose
    /// dosages sit on and either side of the 0.1 / 0.2 thresholds.
    /// </summary>
    public static string Dosages(int seed, int samples, int variants, bool phased)
    {
        var random = new Random(seed);
        double[] edges = [0.1, 0.0999, 0.1001, 0.9, 1.1, 1.9, 0.2, 1.8, 0.5, 1.5, 0.8, 1.2];
        string field = phased ? "HDS" : "DS";
        var text = new StringBuilder("##fileformat=VCFv4.2\n##contig=<ID=1>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n");
        text.Append(CultureInfo.InvariantCulture, $"##FORMAT=<ID={field},Number={(phased ? 2 : 1)},Type=Float,Description=\"d\">\n");
        text.Append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t").AppendJoin('\t', Enumerable.Range(0, samples).Select(i => $"S{i}")).Append('\n');
        for (int v = 0; v < variants; v++)
        {
            text.Append(CultureInfo.InvariantCulture, $"1\t{(v * 10) + 5}\trs{v}\tA\tG\t.\t.\t.\tGT:{field}");
            for (int s = 0; s < samples; s++)
            {
                text.Append('\t');
                if (random.NextDouble() < 0.05)
                {
                    text.Append(phased ? ".|.:.,." : "./.:.");
                    continue;
                }
                if (phased)
                {
                    int a = random.Next(2);
                    int b = random.Next(2);
                    double h1 = Math.Clamp(a + ((random.NextDouble() - 0.5) * 0.4), 0, 1);
                    double h2 = Math.Clamp(b + ((random.NextDouble() - 0.5) * 0.4), 0, 1);
                    text.Append(CultureInfo.InvariantCulture, $"{a}|{b}:{h1:0.###},{h2:0.###}");
                }
                else
                {
                    double d = s == 0 ? edges[v % edges.Length] : Math.Clamp(random.Next(3) + ((random.NextDouble() - 0.5) * 0.6), 0, 2);
                    text.Append(CultureInfo.InvariantCulture, $"./.:{d:0.####}");
                }
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Genotypes with the structure that makes plink2 use every hard-call record type: frequencies from very rare to
    /// near fixation (1-bit and difference-list records), runs of near-copies of the previous variant and of its
    /// REF/ALT swap (LD-compressed records), missing calls, two contigs; with <paramref name="multiAllelic"/> every
    /// seventh site has 3 to 20 alleles (each width of the multi-allelic track).
    /// </summary>
    public static string Structured(int seed, int samples, int variants, bool multiAllelic, bool phased)
    {
        var random = new Random(seed);
        char separator = phased ? '|' : '/';
        int[] alleleCounts = [3, 4, 5, 6, 7, 9, 20];
        double[] frequencies = [0.001, 0.01, 0.05, 0.3, 0.5, 0.9, 0.99];
        double[] missingRates = [0, 0, 0.01, 0.2];
        var text = new StringBuilder("##fileformat=VCFv4.2\n##contig=<ID=1>\n##contig=<ID=2>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
        for (int s = 0; s < samples; s++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\ts{s}");
        }
        text.Append('\n');
        int[,]? previous = null;
        for (int v = 0; v < variants; v++)
        {
            int k = multiAllelic && v % 7 == 3 ? alleleCounts[random.Next(alleleCounts.Length)] : 2;
            var calls = new int[samples, 2];
            double kind = random.NextDouble();
            if (previous is not null && k == 2 && kind < 0.4)
            {
                for (int s = 0; s < samples; s++)
                {
                    bool swap = kind < 0.1 && previous[s, 0] >= 0;
                    calls[s, 0] = swap ? 1 - previous[s, 0] : previous[s, 0];
                    calls[s, 1] = swap ? 1 - previous[s, 1] : previous[s, 1];
                }
                for (int change = random.Next((samples / 20) + 1); change > 0; change--)
                {
                    int s = random.Next(samples);
                    int g = random.Next(4);
                    (calls[s, 0], calls[s, 1]) = g == 3 ? (-1, -1) : (g == 2 ? 1 : 0, g >= 1 ? 1 : 0);
                }
            }
            else
            {
                double p = frequencies[random.Next(frequencies.Length)];
                double missing = missingRates[random.Next(missingRates.Length)];
                for (int s = 0; s < samples; s++)
                {
                    bool isMissing = random.NextDouble() < missing;
                    for (int h = 0; h < 2; h++)
                    {
                        calls[s, h] = isMissing ? -1 : random.NextDouble() >= p ? 0 : k == 2 || random.NextDouble() < 0.5 ? 1 : random.Next(1, k);
                    }
                }
            }
            if (k == 2)
            {
                previous = calls;
            }
            string alts = string.Join(',', Enumerable.Range(0, k - 1).Select(a => "CGT"[a % 3] + new string('A', a / 3)));
            text.Append(CultureInfo.InvariantCulture, $"{(v < variants / 2 ? 1 : 2)}\t{(v * 3) + 1}\tv{v}\tA\t{alts}\t.\t.\t.\tGT");
            for (int s = 0; s < samples; s++)
            {
                text.Append('\t');
                text.Append(calls[s, 0] < 0 ? "." : calls[s, 0].ToString(CultureInfo.InvariantCulture)).Append(separator);
                text.Append(calls[s, 1] < 0 ? "." : calls[s, 1].ToString(CultureInfo.InvariantCulture));
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
