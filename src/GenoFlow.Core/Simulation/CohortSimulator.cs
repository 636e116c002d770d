using System.Buffers;
using System.Globalization;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Simulation;

/// <summary>
/// Simulates a structured cohort with two traits, for tests and benchmarks. Two genotype models: with
/// <see cref="CohortSettings.Mosaic"/> set, the realistic one of <see cref="MosaicGenerator"/> (LD, a 1/x spectrum,
/// admixture, relatives); without it, the independent-variant model below, which existing golden tests rely on byte
/// for byte. Traits are the same for both.
/// <para>
/// Independent model: genotypes follow the Balding–Nichols model. For each variant an ancestral ALT frequency p ~ Uniform(0.05, 0.95)
/// (uniform rather than a neutral site-frequency spectrum so that every variant is common enough to carry signal and
/// Fst estimates are stable); each population k draws p_k ~ Beta(p(1−F)/F, (1−p)(1−F)/F), so E[p_k] = p and
/// Var(p_k) = F p(1−p) (F = 0 gives p_k = p). Genotypes are Binomial(2, p_k) (Hardy–Weinberg within a population), then
/// each is missing with probability R. Samples are split into K contiguous, near-equal groups named pop1..popK; sample i
/// is "pop{k}_s{i:D6}" with i counted over the whole cohort.
/// </para>
/// <para>
/// Variants are numbered 0..M−1 and named "rs{index+1}". Chromosome c (1..C, C = min(Chromosomes, M)) holds a
/// contiguous, near-equal block of them; positions start afresh on each chromosome and increase by gaps uniform on
/// 1..2000 bp. REF is uniform over A, C, G, T and ALT uniform over the other three; cM is 0.
/// </para>
/// <para>
/// Traits: causal variants are a uniform random subset of min(CausalVariants, M) variants (with CausalBlockSize B &gt; 1,
/// the first of them in uniformly chosen B-variant blocks aligned on multiples of B) with effects β ~ N(0, 1) on the
/// standardized ALT count (mean and standard deviation from the simulated samples, missing set to the mean, monomorphic
/// variants contribute nothing). The summed genetic value g is scaled so that its variance over the samples is h².
/// Covariates: age uniform on the integers 40..70 and sex 0 (female) / 1 (male), with effects
/// c = 0.02 (age − 55) + 0.1 (sex − 0.5). trait_q = c + g + e with e ~ N(0, 1 − h²), so h² is the share of the
/// non-covariate variance (which is 1) that is genetic; without any genetic variance e ~ N(0, 1). trait_b is 1 when
/// the liability c + g + e' (e' drawn independently like e) exceeds the normal quantile that leaves the requested prevalence above it (the covariate variance included).
/// </para>
/// <para>
/// Randomness: each variant draws from its own xoshiro256** stream seeded by (seed, variant index), in this order:
/// p, the p_k, REF, ALT, position gap, genotypes, missingness. Covariates, the causal set and trait noise have streams of
/// their own. Variants are generated in parallel chunks and written in order, and genetic values are summed in variant
/// order, so output does not depend on the thread count.
/// </para>
/// </summary>
public sealed class CohortSimulator
{
    /// <summary>Written beside the phenotype file: the causal variants and their effects, the truth for later tests.</summary>
    public const string CausalVariantsFileName = "causal_variants.tsv";

    /// <summary>Written beside the phenotype file by the mosaic model: the pairs of relatives and their expected kinship.</summary>
    public const string RelativesFileName = "relatives.tsv";

    public const double AncestralFrequencyMin = 0.05;
    public const double AncestralFrequencyMax = 0.95;
    public const int MaxPositionGap = 2000;
    public const int MinAge = 40;
    public const int MaxAge = 70;
    public const double AgeEffectPerYear = 0.02;
    public const double SexEffect = 0.1;

    private const int ChunkVariants = 256;

    private static readonly string[] Bases = ["A", "C", "G", "T"];

    private readonly int[] _groupStarts;
    private readonly string[] _populationOfSample;
    private readonly TraitModel _traits;
    private readonly string[] _chromNames;
    private readonly SamplePlan? _plan;

    public CohortSimulator(CohortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        int n = settings.Samples;
        int k = settings.Populations;

        _groupStarts = new int[k + 1];
        for (int g = 0; g <= k; g++)
        {
            _groupStarts[g] = (int)((long)g * n / k);
        }
        Populations = [.. Enumerable.Range(1, k).Select(g => $"pop{g}")];

        _traits = new TraitModel(settings);
        _populationOfSample = new string[n];
        var samples = new SampleInfo[n];
        if (settings.Mosaic is not null)
        {
            _plan = new SamplePlan(settings, settings.Mosaic);
            _plan.Labels.CopyTo(_populationOfSample, 0);
        }
        else
        {
            for (int g = 0; g < k; g++)
            {
                Array.Fill(_populationOfSample, Populations[g], _groupStarts[g], _groupStarts[g + 1] - _groupStarts[g]);
            }
        }
        for (int i = 0; i < n; i++)
        {
            // .fam sex codes: 1 male, 2 female.
            samples[i] = new SampleInfo("0", $"{settings.SamplePrefix}{_populationOfSample[i]}_s{i:D6}", Sex: _traits.Sex[i] == 1 ? 1 : 2);
        }
        Samples = samples;
        _chromNames = [.. Enumerable.Range(1, settings.EffectiveChromosomes).Select(c => c.ToString(CultureInfo.InvariantCulture))];
    }

    public CohortSettings Settings { get; }

    public IReadOnlyList<SampleInfo> Samples { get; }

    /// <summary>Population names, pop1..popK.</summary>
    public IReadOnlyList<string> Populations { get; }

    /// <summary>The population of each sample, in sample order ("admixed" for admixed samples of the mosaic model).</summary>
    public IReadOnlyList<string> PopulationOfSample => _populationOfSample;

    /// <summary>Pairs of relatives (mosaic model; empty otherwise), as sample indices.</summary>
    public IReadOnlyList<(int A, int B, int Degree, string Relationship, double Kinship)> Relatives =>
        _plan is null ? [] : [.. _plan.Relatives.Select(r => (r.A, r.B, r.Degree, r.Relationship, r.Kinship))];

    /// <summary>Chromosome index (0-based) of variant <paramref name="index"/>: contiguous, near-equal blocks.</summary>
    public static int ChromosomeOf(int index, int chromosomes, int variants) => (int)((long)index * chromosomes / variants);

    /// <summary>Caps generation threads; output is the same for any value (tests use this to prove it).</summary>
    internal int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Streams every variant, in order, to every writer, then writes the phenotypes to <paramref name="phenotypePath"/> and
    /// the causal variants to <see cref="CausalVariantsFileName"/> in the same directory. Does not complete the writers.
    /// Memory is O(samples × 256) whatever the number of variants.
    /// </summary>
    public void Run(IReadOnlyList<IGenotypeWriter> writers, string phenotypePath, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(writers);
        ArgumentException.ThrowIfNullOrEmpty(phenotypePath);
        if (writers.Any(w => w is null))
        {
            throw new ArgumentException("writers must not contain null", nameof(writers));
        }

        int n = Settings.Samples;
        int m = Settings.Variants;
        int rowBytes = PackedGenotypes.RowBytes(n);
        int chunk = Math.Min(ChunkVariants, m);
        // Two buffers: the next chunk is generated while the current one is written.
        VariantChunk[] buffers = [new(ArrayPool<byte>.Shared.Rent(chunk * rowBytes), chunk), new(ArrayPool<byte>.Shared.Rent(chunk * rowBytes), chunk)];
        MosaicGenerator? mosaic = _plan is null ? null : new MosaicGenerator(Settings, _plan);
        IVariantGenerator generator = mosaic ?? (IVariantGenerator)new IndependentGenerator(Settings, _groupStarts);
        var genetic = new double[n];
        var causal = new List<TraitModel.CausalVariant>(_traits.CausalIndices.Length);
        var options = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = MaxDegreeOfParallelism };
        Task? generating = null;
        try
        {
            int chrom = -1;
            long position = 0;
            int nextCausal = 0;
            generator.Generate(buffers[0], 0, Math.Min(chunk, m), rowBytes, options);
            for (int start = 0, c = 0; start < m; start += chunk, c ^= 1)
            {
                int count = Math.Min(chunk, m - start);
                int nextStart = start + chunk;
                if (nextStart < m)
                {
                    VariantChunk next = buffers[c ^ 1];
                    generating = Task.Run(() => generator.Generate(next, nextStart, Math.Min(chunk, m - nextStart), rowBytes, options), ct);
                }
                VariantChunk current = buffers[c];
                for (int j = 0; j < count; j++)
                {
                    int index = start + j;
                    int chromIndex = ChromosomeOf(index, _chromNames.Length, m);
                    if (chromIndex != chrom)
                    {
                        chrom = chromIndex;
                        position = 0;
                    }
                    (byte refBase, byte altBase, int gap) = current.Alleles[j];
                    position += gap;
                    var variant = new VariantInfo(_chromNames[chromIndex], position, $"rs{index + 1}", Bases[refBase], Bases[altBase], current.CentiMorgans[j]);
                    ReadOnlySpan<byte> row = current.Rows.AsSpan(j * rowBytes, rowBytes);
                    if (nextCausal < _traits.CausalIndices.Length && _traits.CausalIndices[nextCausal] == index)
                    {
                        causal.Add(TraitModel.AddGeneticEffect(variant, row, _traits.CausalEffects[nextCausal], genetic));
                        nextCausal++;
                    }
                    foreach (IGenotypeWriter writer in writers)
                    {
                        writer.Write(variant, row);
                    }
                }
                progress?.Report((double)(start + count) / m);
                if (generating is not null)
                {
                    Task done = generating;
                    generating = null;
                    done.GetAwaiter().GetResult();
                }
                ct.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            // A writer may have thrown while the next chunk was being generated: let it finish before its buffer goes back.
            if (generating is not null)
            {
                try
                {
                    generating.GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is OperationCanceledException or AggregateException)
                {
                    // The original exception is the one that matters.
                }
            }
            ArrayPool<byte>.Shared.Return(buffers[0].Rows);
            ArrayPool<byte>.Shared.Return(buffers[1].Rows);
        }

        double[][]? ancestry = mosaic is null ? null : AncestryProportions(mosaic);
        _traits.WritePhenotypes(phenotypePath, genetic, causal, Samples, _populationOfSample, ancestry);
        if (_plan is not null)
        {
            WriteRelatives(phenotypePath);
        }
        progress?.Report(1.0);
    }

    /// <summary>Each sample's realised ancestry: the share of its two haplotypes' variants copied from each population's pool.</summary>
    private double[][] AncestryProportions(MosaicGenerator mosaic)
    {
        int k = Settings.Populations;
        var proportions = new double[Settings.Samples][];
        for (int i = 0; i < proportions.Length; i++)
        {
            proportions[i] = new double[k];
            for (int a = 0; a < k; a++)
            {
                long sites = mosaic.AncestrySites[(2 * i * k) + a] + mosaic.AncestrySites[(((2 * i) + 1) * k) + a];
                proportions[i][a] = sites / (2.0 * Settings.Variants);
            }
        }
        return proportions;
    }

    private void WriteRelatives(string phenotypePath)
    {
        var text = new System.Text.StringBuilder("sample_a\tsample_b\tdegree\trelationship\tkinship\n");
        foreach (SamplePlan.Relative r in _plan!.Relatives)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Samples[r.A].SampleId}\t{Samples[r.B].SampleId}\t{r.Degree}\t{r.Relationship}\t{r.Kinship}\n");
        }
        string directory = Path.GetDirectoryName(Path.GetFullPath(phenotypePath))!;
        TraitModel.WriteAtomically(Path.Combine(directory, RelativesFileName), text.ToString());
    }
}
