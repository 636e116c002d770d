namespace GenoFlow.Core.Simulation;

/// <summary>
/// The realistic model of <see cref="CohortSimulator"/>, after HAPGEN (Su, Marchini and Donnelly 2011): every sample
/// haplotype is a Li–Stephens mosaic of its population's pool of H template haplotypes.
/// <para>
/// Variants (<see cref="MosaicSites"/>): a derived (ALT) frequency x from the neutral 1/x spectrum on
/// [maf-min, 1 − maf-min]; population frequencies p_k ~ Beta(x(1−F)/F, (1−x)(1−F)/F) (Balding–Nichols, as the
/// independent model); in each pool the ALT allele sits on an arc of round(p_k·H) templates of a fixed circular order,
/// which gives the pool haplotype structure. Positions advance by gaps uniform on 1..2·spacing−1; the recombination
/// map (<see cref="RecombinationMap"/>) gives each variant a genetic position g (written as the .bim cM).
/// </para>
/// <para>
/// Haplotypes: along each chromosome a haplotype copies one template and switches to a uniformly drawn one at the events
/// of a Poisson process of rate 4·Ne/H per Morgan, so two variants d Morgans apart are copied from the same template
/// with probability e^(−4·Ne·d/H) and r between them is the pool's r times that: r² decays as e^(−8·Ne·d/H). An admixed
/// sample (two populations, share α of the first, α ~ U(0, 1)) also switches ancestry at rate T (generations since
/// admixture) per Morgan, drawing the new ancestry with probability α and a new template from that pool. A child's first
/// haplotype is a meiosis of a parent's two haplotypes (crossovers at rate 1 per Morgan), its second a fresh mosaic; the
/// shared parent of half-siblings is simulated but not written. Chromosomes are independent.
/// </para>
/// <para>
/// Randomness and threads: each haplotype draws from its own stream (seed, 2^62 + haplotype) in variant order, each
/// variant's missingness from (seed, 2^61 + variant), so the bytes do not depend on how haplotypes, byte columns and
/// rows are spread over threads. State is O(samples) and carried from chunk to chunk: memory does not grow with M.
/// </para>
/// </summary>
internal sealed class MosaicGenerator : IVariantGenerator
{
    private const int Words = MosaicSites.Words;
    private const ulong HaplotypeStream = 1UL << 62;
    private const ulong MissingStream = 1UL << 61;
    private const int HaplotypesPerTask = 256;

    private readonly CohortSettings _settings;
    private readonly SamplePlan _plan;
    private readonly MosaicSites _sites;
    private readonly int _pool;
    private readonly int _populations;
    private readonly double _switchRate;
    private readonly double _ancestryRate;
    private readonly Haplotype[] _haplotypes;
    private readonly ulong[] _bits;
    private readonly int[] _founders;
    private readonly int[] _inherited;

    public MosaicGenerator(CohortSettings settings, SamplePlan plan)
    {
        MosaicSettings mosaic = settings.Mosaic!;
        _settings = settings;
        _plan = plan;
        _sites = new MosaicSites(settings, mosaic);
        _pool = mosaic.PoolHaplotypes;
        _populations = settings.Populations;
        _switchRate = mosaic.SwitchesPerMorgan;
        _ancestryRate = mosaic.AdmixtureGenerations;
        int haplotypes = 2 * plan.Individuals;
        _haplotypes = new Haplotype[haplotypes];
        for (int h = 0; h < haplotypes; h++)
        {
            _haplotypes[h].Rng = new Xoshiro256(settings.SampleSeed, HaplotypeStream + (ulong)h);
        }
        _bits = new ulong[haplotypes * Words];
        AncestrySites = new long[haplotypes * _populations];
        _founders = [.. Enumerable.Range(0, haplotypes).Where(h => !IsInherited(h))];
        _inherited = [.. Enumerable.Range(0, haplotypes).Where(IsInherited)];
    }

    /// <summary>[haplotype·K + population]: variants at which the haplotype copied that population's pool.</summary>
    public long[] AncestrySites { get; }

    private struct Haplotype
    {
        public Xoshiro256 Rng;
        public int Ancestry;

        /// <summary>The template copied; for an inherited haplotype, which of the parent's two haplotypes.</summary>
        public int Template;
        public double NextSwitch;
        public double NextAncestrySwitch;
    }

    private bool IsInherited(int haplotype) => (haplotype & 1) == 0 && _plan.Parent[haplotype >> 1] >= 0;

    public void Generate(VariantChunk chunk, int start, int count, int rowBytes, ParallelOptions options)
    {
        _sites.Draw(chunk, start, count);
        // Parents are always founders, so every inherited haplotype can read its parent's finished bits.
        ForEachRange(_founders.Length, HaplotypesPerTask, options, (from, to) =>
        {
            for (int i = from; i < to; i++)
            {
                CopyPool(_founders[i], count);
            }
        });
        ForEachRange(_inherited.Length, HaplotypesPerTask, options, (from, to) =>
        {
            for (int i = from; i < to; i++)
            {
                Inherit(_inherited[i], count);
            }
        });
        int n = _settings.Samples;
        ForEachRange(rowBytes, HaplotypesPerTask / 8, options, (from, to) =>
        {
            for (int b = from; b < to; b++)
            {
                PackColumn(chunk.Rows, b, count, rowBytes, n);
            }
        });
        Parallel.For(0, count, options, j =>
        {
            var rng = new Xoshiro256(_settings.SampleSeed, MissingStream + (ulong)(start + j));
            GenotypeSampler.ApplyMissing(chunk.Rows.AsSpan(j * rowBytes, rowBytes), n, _settings.MissingRate, ref rng);
        });
    }

    private static void ForEachRange(int length, int size, ParallelOptions options, Action<int, int> body) =>
        Parallel.For(0, (length + size - 1) / size, options, task => body(task * size, Math.Min(length, (task + 1) * size)));

    private static double NextGap(ref Xoshiro256 rng, double rate) => -Math.Log(rng.NextDoubleNonZero()) / rate;

    private void CopyPool(int h, int count)
    {
        ref Haplotype s = ref _haplotypes[h];
        int individual = h >> 1;
        double alpha = _plan.Alpha[individual];
        int first = _plan.FirstPopulation[individual];
        int second = _plan.SecondPopulation[individual];
        Span<ulong> bits = _bits.AsSpan(h * Words, Words);
        bits.Clear();
        Span<long> ancestrySites = AncestrySites.AsSpan(h * _populations, _populations);
        ulong[] carriers = _sites.Carriers;
        double[] keep = _sites.Keep;
        for (int j = 0; j < count; j++)
        {
            double g = _sites.Morgans[j];
            if (_sites.NewChromosome[j])
            {
                s.Ancestry = alpha < 1 && s.Rng.NextDouble() >= alpha ? second : first;
                s.Template = s.Rng.NextInt(_pool);
                s.NextSwitch = g + NextGap(ref s.Rng, _switchRate);
                s.NextAncestrySwitch = alpha < 1 ? g + NextGap(ref s.Rng, _ancestryRate) : double.PositiveInfinity;
            }
            while (g >= s.NextAncestrySwitch)
            {
                s.Ancestry = s.Rng.NextDouble() < alpha ? first : second;
                s.Template = s.Rng.NextInt(_pool);
                s.NextAncestrySwitch += NextGap(ref s.Rng, _ancestryRate);
            }
            while (g >= s.NextSwitch)
            {
                s.Template = s.Rng.NextInt(_pool);
                s.NextSwitch += NextGap(ref s.Rng, _switchRate);
            }
            int a = s.Ancestry;
            ulong bit = (carriers[(((a * _pool) + s.Template) * Words) + (j >> 6)] >> (j & 63)) & 1;
            if (bit != 0)
            {
                double p = keep[(a * MosaicSites.MaxSites) + j];
                if (p < 1 && s.Rng.NextDouble() >= p)
                {
                    bit = 0;
                }
            }
            bits[j >> 6] |= bit << (j & 63);
            ancestrySites[a]++;
        }
    }

    /// <summary>A transmitted haplotype: the parent's two haplotypes, switching at crossovers (rate 1 per Morgan).</summary>
    private void Inherit(int h, int count)
    {
        ref Haplotype s = ref _haplotypes[h];
        int parent = _plan.Parent[h >> 1];
        Span<ulong> bits = _bits.AsSpan(h * Words, Words);
        bits.Clear();
        int population = _plan.FirstPopulation[h >> 1];
        for (int j = 0; j < count; j++)
        {
            double g = _sites.Morgans[j];
            if (_sites.NewChromosome[j])
            {
                s.Template = s.Rng.NextInt(2);
                s.NextSwitch = g + NextGap(ref s.Rng, 1);
            }
            while (g >= s.NextSwitch)
            {
                s.Template ^= 1;
                s.NextSwitch += NextGap(ref s.Rng, 1);
            }
            int source = (2 * parent) + s.Template;
            bits[j >> 6] |= ((_bits[(source * Words) + (j >> 6)] >> (j & 63)) & 1) << (j & 63);
        }
        AncestrySites[(h * _populations) + population] += count;
    }

    /// <summary>
    /// Writes byte column <paramref name="column"/> (samples 4b..4b+3) of every row from the samples' haplotype bits.
    /// Per 64 variants, hi = ¬(h1 ∧ h2) and lo = ¬(h1 ∨ h2) are the two bits of the .bed code: 00 two ALT, 10 one, 11 none.
    /// </summary>
    private void PackColumn(byte[] rows, int column, int count, int rowBytes, int samples)
    {
        Span<ulong> hi = stackalloc ulong[4 * Words];
        Span<ulong> lo = stackalloc ulong[4 * Words];
        for (int s = 0; s < 4; s++)
        {
            int sample = (4 * column) + s;
            for (int w = 0; w < Words; w++)
            {
                if (sample < samples)
                {
                    ulong h1 = _bits[(2 * sample * Words) + w];
                    ulong h2 = _bits[(((2 * sample) + 1) * Words) + w];
                    hi[(s * Words) + w] = ~(h1 & h2);
                    lo[(s * Words) + w] = ~(h1 | h2);
                }
                else
                {
                    // Trailing codes of the last byte stay zero.
                    hi[(s * Words) + w] = 0;
                    lo[(s * Words) + w] = 0;
                }
            }
        }
        for (int j = 0; j < count; j++)
        {
            int w = j >> 6;
            int shift = j & 63;
            int value = 0;
            for (int s = 0; s < 4; s++)
            {
                int code = (int)((((hi[(s * Words) + w] >> shift) & 1) << 1) | ((lo[(s * Words) + w] >> shift) & 1));
                value |= code << (2 * s);
            }
            rows[(j * rowBytes) + column] = (byte)value;
        }
    }
}
