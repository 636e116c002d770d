using System.Globalization;

namespace GenoFlow.Core.Simulation;

/// <summary>
/// Who each sample of the mosaic model is: its population or two-way admixture, and its relatives. Individuals
/// 0..N−1 are the output samples in output order; individuals N.. are the hidden shared parents of half-siblings, whose
/// haplotypes are simulated but never written. Drawn once from its own random stream.
/// </summary>
internal sealed class SamplePlan
{
    public const string AdmixedLabel = "admixed";
    public const string ParentOffspring = "parent-offspring";
    public const string HalfSiblings = "half-siblings";

    private const ulong PlanStream = (1UL << 63) + 16;

    /// <summary>A pair of relatives (output sample indices) and its expected kinship coefficient.</summary>
    public readonly record struct Relative(int A, int B, int Degree, string Relationship, double Kinship);

    public SamplePlan(CohortSettings settings, MosaicSettings mosaic)
    {
        int n = settings.Samples;
        int k = settings.Populations;
        int admixed = mosaic.AdmixedCount(n);
        int unadmixed = n - admixed;
        var rng = new Xoshiro256(settings.SampleSeed, PlanStream);

        // Canonical order: population by population, then the admixed samples.
        var first = new int[n];
        var second = new int[n];
        var alpha = new double[n];
        for (int g = 0; g < k; g++)
        {
            for (int c = (int)((long)g * unadmixed / k); c < (int)((long)(g + 1) * unadmixed / k); c++)
            {
                (first[c], second[c], alpha[c]) = (g, g, 1);
            }
        }
        for (int c = unadmixed; c < n; c++)
        {
            first[c] = rng.NextInt(k);
            second[c] = (first[c] + 1 + rng.NextInt(k - 1)) % k;
            alpha[c] = rng.NextDouble();
        }

        int[] outputOf = [.. Enumerable.Range(0, n)];
        if (mosaic.Order == SampleOrder.Shuffled)
        {
            Shuffle(outputOf, ref rng);
        }
        int hidden = mosaic.SecondDegreePairs;
        Individuals = n + hidden;
        FirstPopulation = new int[Individuals];
        SecondPopulation = new int[Individuals];
        Alpha = new double[Individuals];
        Parent = new int[Individuals];
        Array.Fill(Parent, -1);
        Labels = new string[n];
        for (int c = 0; c < n; c++)
        {
            int i = outputOf[c];
            (FirstPopulation[i], SecondPopulation[i], Alpha[i]) = (first[c], second[c], alpha[c]);
            Labels[i] = c < unadmixed ? Label(first[c]) : AdmixedLabel;
        }
        Relatives = PairRelatives(mosaic, n, unadmixed, outputOf, ref rng);
    }

    /// <summary>Output samples plus hidden parents.</summary>
    public int Individuals { get; }

    /// <summary>Population label of each output sample: pop1..popK, or "admixed".</summary>
    public string[] Labels { get; }

    /// <summary>Ancestry of each individual: <see cref="FirstPopulation"/> with probability <see cref="Alpha"/>, else <see cref="SecondPopulation"/>.</summary>
    public int[] FirstPopulation { get; }

    public int[] SecondPopulation { get; }

    public double[] Alpha { get; }

    /// <summary>The individual whose meiosis gives this individual's first haplotype; −1 for founders.</summary>
    public int[] Parent { get; }

    public IReadOnlyList<Relative> Relatives { get; }

    public static string Label(int population) => "pop" + (population + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Pairs unadmixed samples of the same population in a random order: parent–offspring pairs first (the first of the
    /// pair is the parent), then half-siblings, whose shared parent is a hidden individual of their population.
    /// </summary>
    private List<Relative> PairRelatives(MosaicSettings mosaic, int n, int unadmixed, int[] outputOf, ref Xoshiro256 rng)
    {
        int wanted = mosaic.FirstDegreePairs + mosaic.SecondDegreePairs;
        var relatives = new List<Relative>(wanted);
        if (wanted == 0)
        {
            return relatives;
        }
        int[] candidates = [.. Enumerable.Range(0, unadmixed)];
        Shuffle(candidates, ref rng);
        var waiting = new Dictionary<int, int>();
        int hidden = n;
        foreach (int c in candidates)
        {
            int i = outputOf[c];
            int population = FirstPopulation[i];
            if (!waiting.Remove(population, out int partner))
            {
                waiting[population] = i;
                continue;
            }
            if (relatives.Count < mosaic.FirstDegreePairs)
            {
                Parent[i] = partner;
                relatives.Add(new Relative(partner, i, 1, ParentOffspring, 0.25));
            }
            else
            {
                (FirstPopulation[hidden], SecondPopulation[hidden], Alpha[hidden]) = (population, population, 1);
                Parent[partner] = hidden;
                Parent[i] = hidden;
                hidden++;
                relatives.Add(new Relative(partner, i, 2, HalfSiblings, 0.125));
            }
            if (relatives.Count == wanted)
            {
                break;
            }
        }
        Debug.Assert(relatives.Count == wanted, "MosaicSettings.Validate leaves enough unadmixed samples to pair");
        return relatives;
    }

    private static void Shuffle(int[] values, ref Xoshiro256 rng)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
