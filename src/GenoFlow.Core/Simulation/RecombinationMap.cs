namespace GenoFlow.Core.Simulation;

/// <summary>
/// Walks the variants in order and gives each its position and genetic position (Morgans from the chromosome's start).
/// The map is uniform at <see cref="MosaicSettings.RecombinationRate"/>, or, with hotspots, keeps a share (1 − s) of it
/// uniform and puts the rest into point hotspots placed as a Poisson process of the given mean spacing, each carrying
/// the genetic length of one spacing's worth of that share, so the average rate stays as asked.
/// </summary>
internal sealed class RecombinationMap
{
    private const ulong HotspotStream = (1UL << 63) + 32;

    private readonly ulong _seed;
    private readonly double _uniformPerBp;
    private readonly double _hotspotMorgans;
    private readonly double _hotspotSpacingBp;
    private int _chrom = -1;
    private long _position;
    private double _morgans;
    private double _nextHotspot;
    private Xoshiro256 _hotspots;

    public RecombinationMap(ulong seed, MosaicSettings mosaic)
    {
        _seed = seed;
        double perBp = mosaic.RecombinationRate * 1e-8;
        _hotspotSpacingBp = mosaic.HotspotSpacingKb * 1000;
        bool hotspots = _hotspotSpacingBp > 0;
        _uniformPerBp = hotspots ? perBp * (1 - mosaic.HotspotShare) : perBp;
        _hotspotMorgans = hotspots ? perBp * mosaic.HotspotShare * _hotspotSpacingBp : 0;
    }

    /// <summary>Moves to the next variant, <paramref name="gap"/> bp after the previous one, or to the first of a new chromosome.</summary>
    public (long Position, double Morgans, bool NewChromosome) Next(int chromIndex, int gap)
    {
        bool newChromosome = chromIndex != _chrom;
        if (newChromosome)
        {
            _chrom = chromIndex;
            _position = 0;
            _morgans = 0;
            _hotspots = new Xoshiro256(_seed, HotspotStream + (ulong)chromIndex);
            _nextHotspot = NextHotspotGap();
        }
        long previous = _position;
        _position += gap;
        // The first variant of a chromosome starts its map, so only distances between variants matter.
        if (!newChromosome)
        {
            _morgans += _uniformPerBp * (_position - previous);
        }
        while (_nextHotspot <= _position)
        {
            if (!newChromosome)
            {
                _morgans += _hotspotMorgans;
            }
            _nextHotspot += NextHotspotGap();
        }
        return (_position, _morgans, newChromosome);
    }

    private double NextHotspotGap() =>
        _hotspotSpacingBp > 0 ? -Math.Log(_hotspots.NextDoubleNonZero()) * _hotspotSpacingBp : double.PositiveInfinity;
}
