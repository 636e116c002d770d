using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Qc;

/// <summary>
/// Per-variant and per-sample QC statistics of one dataset (what <see cref="QualityControl.RunAsync"/> returns). Holds
/// counts for every variant (16 bytes each) and sample; variant descriptions are streamed from <see cref="Dataset"/>
/// when written.
/// </summary>
public sealed class QcResult
{
    private readonly int[] _homRef;
    private readonly int[] _het;
    private readonly int[] _missing;
    private readonly int _counted;
    private readonly double[] _hweP;
    private readonly QcFailures[] _failed;
    private readonly long[] _sampleMissing;
    private readonly long[] _sampleHet;
    private readonly long[] _sampleHomAlt;
    private readonly bool[] _samplePass;

    internal QcResult(Dataset dataset, QcThresholds thresholds, IReadOnlyList<SampleInfo> samples, int[] homRef, int[] het, int[] missing, int counted,
        long[] sampleMissing, long[] sampleHet, long[] sampleHomAlt, bool[] samplePass)
    {
        Dataset = dataset;
        Thresholds = thresholds;
        Samples = samples;
        _homRef = homRef;
        _het = het;
        _missing = missing;
        _counted = counted;
        _sampleMissing = sampleMissing;
        _sampleHet = sampleHet;
        _sampleHomAlt = sampleHomAlt;
        _samplePass = samplePass;
        _hweP = new double[homRef.Length];
        _failed = new QcFailures[homRef.Length];
        // Each variant's exact test is independent of the others and is most of this constructor's time (a walk of up to
        // thousands of steps per variant at 20,000 samples), so the tests run on every core; each gives the same bits.
        double[] hweP = _hweP;
        Parallel.For(0, homRef.Length, v => hweP[v] = HardyWeinberg.ExactP(het[v], homRef[v], counted - homRef[v] - het[v] - missing[v]));
        long maf = 0, miss = 0, hwe = 0, passing = 0;
        for (int v = 0; v < homRef.Length; v++)
        {
            int homAlt = counted - homRef[v] - het[v] - missing[v];
            var stats = new VariantQc(homRef[v], het[v], homAlt, missing[v], _hweP[v], QcFailures.None);
            QcFailures failed = QcFailures.None;
            if (stats.MinorAlleleFrequency < thresholds.Maf)
            {
                failed |= QcFailures.Maf;
                maf++;
            }
            if (stats.MissingRate > thresholds.MaxMissing)
            {
                failed |= QcFailures.Missing;
                miss++;
            }
            if (stats.HweP < thresholds.Hwe)
            {
                failed |= QcFailures.Hwe;
                hwe++;
            }
            _failed[v] = failed;
            passing += failed == QcFailures.None ? 1 : 0;
        }
        int samplesPassing = samplePass.Count(p => p);
        Summary = new QcSummary(homRef.Length, maf, miss, hwe, passing, samples.Count, samples.Count - samplesPassing, samplesPassing);
    }

    public Dataset Dataset { get; }

    public QcThresholds Thresholds { get; }

    public IReadOnlyList<SampleInfo> Samples { get; }

    public QcSummary Summary { get; }

    public long VariantCount => _homRef.Length;

    public int SampleCount => Samples.Count;

    /// <summary>Samples the variant statistics count (those passing <c>--mind</c>).</summary>
    public int CountedSamples => _counted;

    public VariantQc Variant(long index)
    {
        int v = checked((int)index);
        return new VariantQc(_homRef[v], _het[v], _counted - _homRef[v] - _het[v] - _missing[v], _missing[v], _hweP[v], _failed[v]);
    }

    public SampleQc Sample(int index)
    {
        long homRef = VariantCount - _sampleMissing[index] - _sampleHet[index] - _sampleHomAlt[index];
        return new SampleQc(homRef, _sampleHet[index], _sampleHomAlt[index], _sampleMissing[index], _samplePass[index]);
    }
}
