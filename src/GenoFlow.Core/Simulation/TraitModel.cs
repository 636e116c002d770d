using System.Globalization;
using System.Text;
using GenoFlow.Core.Genotypes;
using MathNet.Numerics.Distributions;

namespace GenoFlow.Core.Simulation;

/// <summary>
/// The trait side of <see cref="CohortSimulator"/> (the model is documented there): covariates and the causal set, drawn
/// once from their own random streams, the genetic values summed over causal variants in variant order, and the
/// phenotype and truth files.
/// </summary>
internal sealed class TraitModel
{
    private const ulong CovariateStream = 1UL << 63;
    private const ulong CausalStream = CovariateStream + 1;
    private const ulong TraitNoiseStream = CovariateStream + 2;
    private const ulong OmicsStream = CovariateStream + 3;
    private const double AgeEffect = CohortSimulator.AgeEffectPerYear;
    private const double SexEffect = CohortSimulator.SexEffect;
    private const int AgeCentre = (CohortSimulator.MinAge + CohortSimulator.MaxAge) / 2;

    private readonly CohortSettings _settings;
    private readonly int[] _age;
    private readonly int[] _sex;

    public TraitModel(CohortSettings settings)
    {
        _settings = settings;
        int n = settings.Samples;
        var covariates = new Xoshiro256(settings.SampleSeed, CovariateStream);
        _age = new int[n];
        _sex = new int[n];
        for (int i = 0; i < n; i++)
        {
            _age[i] = CohortSimulator.MinAge + covariates.NextInt(CohortSimulator.MaxAge - CohortSimulator.MinAge + 1);
            _sex[i] = covariates.NextInt(2);
        }
        (CausalIndices, CausalEffects) = ChooseCausalVariants(settings);
    }

    /// <summary>Sex covariate per sample: 0 female, 1 male.</summary>
    public ReadOnlySpan<int> Sex => _sex;

    /// <summary>Indices of the causal variants, ascending.</summary>
    public int[] CausalIndices { get; }

    /// <summary>Unscaled effect of each causal variant (same order), per standard deviation of its ALT count.</summary>
    public double[] CausalEffects { get; }

    public readonly record struct CausalVariant(VariantInfo Variant, double AltFrequency, double Effect);

    private static (int[] Indices, double[] Effects) ChooseCausalVariants(CohortSettings settings)
    {
        int block = settings.CausalBlockSize;
        var rng = new Xoshiro256(settings.Seed, CausalStream);
        int[] indices;
        if (block == 1)
        {
            indices = [.. Choose(settings.Variants, settings.EffectiveCausalVariants, ref rng).Order()];
        }
        else
        {
            // Runs of `block` adjacent variants: whole aligned blocks, the first C of their variants.
            int blocks = settings.Variants / block;
            int wanted = Math.Min(blocks, (settings.EffectiveCausalVariants + block - 1) / block);
            indices = [.. Choose(blocks, wanted, ref rng).Order().SelectMany(b => Enumerable.Range(b * block, block)).Take(settings.EffectiveCausalVariants)];
        }
        double[] effects = new double[indices.Length];
        for (int i = 0; i < effects.Length; i++)
        {
            effects[i] = rng.NextNormal();
        }
        return (indices, effects);
    }

    /// <summary>Floyd's algorithm: <paramref name="count"/> distinct values from [0, <paramref name="range"/>) with as many draws.</summary>
    private static HashSet<int> Choose(int range, int count, ref Xoshiro256 rng)
    {
        var chosen = new HashSet<int>(count);
        for (int j = range - count; j < range; j++)
        {
            int t = rng.NextInt(j + 1);
            chosen.Add(chosen.Contains(t) ? j : t);
        }
        return chosen;
    }

    /// <summary>Adds β × standardized ALT count to each sample's genetic value (missing counts as the mean).</summary>
    public static CausalVariant AddGeneticEffect(VariantInfo variant, ReadOnlySpan<byte> row, double beta, double[] genetic)
    {
        ReadOnlySpan<sbyte> altCount = PackedGenotypes.AltCountByCode;
        long sum = 0;
        long sumSquares = 0;
        int observed = 0;
        for (int i = 0; i < genetic.Length; i++)
        {
            int x = altCount[PackedGenotypes.GetCode(row, i)];
            if (x >= 0)
            {
                sum += x;
                sumSquares += x * x;
                observed++;
            }
        }
        double mean = observed == 0 ? 0 : (double)sum / observed;
        double variance = observed == 0 ? 0 : ((double)sumSquares / observed) - (mean * mean);
        if (variance <= 1e-12)
        {
            return new CausalVariant(variant, mean / 2, 0);
        }
        double perAllele = beta / Math.Sqrt(variance);
        for (int i = 0; i < genetic.Length; i++)
        {
            int x = altCount[PackedGenotypes.GetCode(row, i)];
            if (x >= 0)
            {
                genetic[i] += perAllele * (x - mean);
            }
        }
        return new CausalVariant(variant, mean / 2, beta);
    }

    /// <summary>Writes the phenotype table, with a column of realised ancestry per population when <paramref name="ancestry"/> is given.</summary>
    public void WritePhenotypes(string phenotypePath, double[] genetic, List<CausalVariant> causal, IReadOnlyList<SampleInfo> samples, IReadOnlyList<string> populationOfSample, double[][]? ancestry)
    {
        double h2 = _settings.Heritability;
        double geneticVariance = Variance(genetic);
        double scale = geneticVariance > 0 ? Math.Sqrt(h2 / geneticVariance) : 0;
        // Genetic plus noise variance is 1; with no genetic variance at all (no causal or only monomorphic variants) the
        // noise takes all of it.
        double noiseSd = Math.Sqrt(scale > 0 ? 1 - h2 : 1);
        double ageVariance = (Math.Pow(CohortSimulator.MaxAge - CohortSimulator.MinAge + 1, 2) - 1) / 12;
        double covariateVariance = (AgeEffect * AgeEffect * ageVariance) + (SexEffect * SexEffect * 0.25);
        double liabilityVariance = 1 + covariateVariance;
        double threshold = Normal.InvCDF(0, 1, 1 - _settings.Prevalence) * Math.Sqrt(liabilityVariance);

        var noise = new Xoshiro256(_settings.SampleSeed, TraitNoiseStream);
        var text = new StringBuilder("sample_id\tpopulation\ttrait_q\ttrait_b\tage\tsex");
        if (ancestry is not null)
        {
            for (int k = 1; k <= _settings.Populations; k++)
            {
                text.Append(CultureInfo.InvariantCulture, $"\tancestry_pop{k}");
            }
        }
        text.Append('\n');
        var traits = new double[genetic.Length];
        var standardisedGenetic = new double[genetic.Length];
        for (int i = 0; i < genetic.Length; i++)
        {
            double g = genetic[i] * scale;
            double covariates = (AgeEffect * (_age[i] - AgeCentre)) + (SexEffect * (_sex[i] - 0.5));
            double traitQ = covariates + g + (noiseSd * noise.NextNormal());
            traits[i] = traitQ;
            standardisedGenetic[i] = h2 > 0 ? g / Math.Sqrt(h2) : 0;
            double liability = covariates + g + (noiseSd * noise.NextNormal());
            text.Append(CultureInfo.InvariantCulture, $"{samples[i].SampleId}\t{populationOfSample[i]}\t{traitQ:G6}\t{(liability > threshold ? 1 : 0)}\t{_age[i]}\t{_sex[i]}");
            foreach (double share in ancestry?[i] ?? [])
            {
                text.Append(CultureInfo.InvariantCulture, $"\t{share:F4}");
            }
            text.Append('\n');
        }
        WriteAtomically(phenotypePath, text.ToString());
        if (_settings.Omics > 0)
        {
            string omics = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(phenotypePath))!, OmicsModel.FileName);
            OmicsModel.Write(omics, _settings, samples, standardisedGenetic, traits, new Xoshiro256(_settings.SampleSeed, OmicsStream));
        }

        var truth = new StringBuilder("variant_id\tchrom\tpos\talt_freq\tbeta\n");
        foreach (CausalVariant c in causal)
        {
            // beta: trait units per standard deviation of the ALT count, after scaling to h².
            truth.Append(CultureInfo.InvariantCulture, $"{c.Variant.Id}\t{c.Variant.Chrom}\t{c.Variant.Position}\t{c.AltFrequency:G6}\t{c.Effect * scale:R}\n");
        }
        string directory = Path.GetDirectoryName(Path.GetFullPath(phenotypePath))!;
        WriteAtomically(Path.Combine(directory, CohortSimulator.CausalVariantsFileName), truth.ToString());
    }

    private static double Variance(double[] values)
    {
        if (values.Length < 2)
        {
            return 0;
        }
        double mean = values.Average();
        double sum = 0;
        foreach (double v in values)
        {
            sum += (v - mean) * (v - mean);
        }
        return sum / values.Length;
    }

    public static void WriteAtomically(string path, string contents)
    {
        string temp = path + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp";
        try
        {
            File.WriteAllText(temp, contents, new UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
