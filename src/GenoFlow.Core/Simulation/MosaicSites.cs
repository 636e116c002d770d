namespace GenoFlow.Core.Simulation;

/// <summary>
/// The per-variant half of the mosaic model (documented on <see cref="MosaicGenerator"/>): each variant's frequency,
/// alleles, position and which templates of each population's pool carry its ALT allele, for one chunk at a time.
/// Each variant draws from its own stream, seeded by (seed, variant index), in this order: the ancestral frequency, the
/// population frequencies, REF, ALT, the position gap, a leaf of the pool tree, then per population the carrier count.
/// </summary>
internal sealed class MosaicSites
{
    public const int MaxSites = 256;
    public const int Words = MaxSites / 64;

    // Next to the plan's stream: the hotspot streams take 2^63 + 32 + chromosome index (up to 53).
    private const ulong TreeStream = (1UL << 63) + 17;

    private readonly CohortSettings _settings;
    private readonly int _populations;
    private readonly int _pool;
    private readonly double _lowest;
    private readonly PoolTree _tree;
    private readonly RecombinationMap _map;
    private readonly double[] _frequencies;

    public MosaicSites(CohortSettings settings, MosaicSettings mosaic)
    {
        _settings = settings;
        _populations = settings.Populations;
        _pool = mosaic.PoolHaplotypes;
        _lowest = mosaic.LowestFrequency(settings.Samples);
        _map = new RecombinationMap(settings.Seed, mosaic);
        // One genealogy for every population's pool: populations share their haplotype structure, as related
        // populations do, and differ in frequencies (and so LD strength) only. Separate trees made pooled LD vanish.
        var treeRng = new Xoshiro256(settings.Seed, TreeStream);
        _tree = new PoolTree(_pool, ref treeRng);
        _frequencies = new double[_populations];
        Carriers = new ulong[_populations * _pool * Words];
        Keep = new double[_populations * MaxSites];
    }

    /// <summary>Bit j of word [(population·H + template)·Words + j/64] is set when that template carries variant j's ALT allele.</summary>
    public ulong[] Carriers { get; }

    /// <summary>[population·MaxSites + j]: the chance that a copy of a carrier template carries the allele (below 1 only for alleles rarer than 1/H).</summary>
    public double[] Keep { get; }

    /// <summary>Genetic position of each variant of the chunk, in Morgans from its chromosome's first variant.</summary>
    public double[] Morgans { get; } = new double[MaxSites];

    /// <summary>Whether each variant of the chunk is the first of its chromosome.</summary>
    public bool[] NewChromosome { get; } = new bool[MaxSites];

    /// <summary>Draws variants [start, start + count) in order (the map walks them).</summary>
    public void Draw(VariantChunk chunk, int start, int count)
    {
        Debug.Assert(count <= MaxSites);
        Array.Clear(Carriers);
        int chromosomes = _settings.EffectiveChromosomes;
        double f = _settings.Fst;
        double[] frequencies = _frequencies;
        for (int j = 0; j < count; j++)
        {
            int index = start + j;
            var rng = new Xoshiro256(_settings.Seed, (ulong)index);
            // Neutral spectrum: density proportional to 1/x on [lowest, 1 − lowest], i.e. log-uniform.
            double x = _lowest * Math.Pow((1 - _lowest) / _lowest, rng.NextDouble());
            for (int k = 0; k < _populations; k++)
            {
                frequencies[k] = f == 0 ? x : rng.NextBeta(x * (1 - f) / f, (1 - x) * (1 - f) / f);
            }
            byte refBase = (byte)rng.NextInt(4);
            byte altBase = (byte)((refBase + 1 + rng.NextInt(3)) & 3);
            int gap = 1 + rng.NextInt((2 * VariantSpacing) - 1);
            int chromIndex = CohortSimulator.ChromosomeOf(index, chromosomes, _settings.Variants);
            (_, double morgans, bool newChromosome) = _map.Next(chromIndex, gap);
            chunk.Alleles[j] = (refBase, altBase, gap);
            chunk.CentiMorgans[j] = Math.Round(100 * morgans, 6);
            Morgans[j] = morgans;
            NewChromosome[j] = newChromosome;
            int leaf = rng.NextInt(_pool);
            for (int k = 0; k < _populations; k++)
            {
                PlaceCarriers(k, j, frequencies[k], leaf, ref rng);
            }
        }
    }

    private int VariantSpacing => _settings.Mosaic!.VariantSpacing;

    /// <summary>
    /// The ALT allele goes on c templates of the population's pool, c the pool frequency p·H stochastically rounded (so
    /// the expected frequency is p): the first c of the smallest clade of the pool tree that holds c and contains the
    /// variant's leaf (drawn once, uniformly, for all populations) (<see cref="PoolTree.CladeStart"/>). Alleles rarer than 1/H sit on one template, and each
    /// copy of it carries them with probability p·H.
    /// </summary>
    private void PlaceCarriers(int population, int site, double p, int leaf, ref Xoshiro256 rng)
    {
        double expected = p * _pool;
        int count;
        double keep = 1;
        if (expected >= 1)
        {
            count = (int)Math.Floor(expected);
            count = Math.Min(_pool, count + (rng.NextDouble() < expected - count ? 1 : 0));
        }
        else
        {
            count = 1;
            keep = expected;
        }
        Keep[(population * MaxSites) + site] = keep;
        int first = _tree.CladeStart(leaf, count);
        ulong bit = 1UL << (site & 63);
        int word = site >> 6;
        for (int template = first; template < first + count; template++)
        {
            Carriers[(((population * _pool) + template) * Words) + word] |= bit;
        }
    }
}
