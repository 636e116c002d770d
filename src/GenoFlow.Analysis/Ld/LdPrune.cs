using System.Runtime.CompilerServices;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Stages;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Ld;

/// <summary>
/// The LD-prune job, as <c>plink2 --indep-pairwise</c> 2.00a3 (plink2_ld.cc; its PLINK 1.x pruning order). Scatter: every tile returns
/// the pairwise-complete r² sums of the pairs its region starts (<see cref="LdPairsOperation"/>); the partials of a
/// region are summed over blocks in tile order and turned into one bit per pair (r² above the threshold), so the
/// coordinator holds Σ window bits, not genotypes. Then the greedy pass per contig in variant order: monomorphic variants
/// go first; in each window (<see cref="ScanWindow"/>) of a pair above the threshold the variant with the lower minor
/// allele frequency is removed (the later one on a tie); the window moves by the step, or by position with --window-kb.
/// </summary>
public static class LdPrune
{
    /// <summary>plink2's kSmallEpsilon (2^-44): the r² threshold and MAF comparison tolerance.</summary>
    private const double SmallEpsilon = 5.684341886080801486968994140625e-14;

    public static async Task<LdPruneResult> RunAsync(IJobExecutor executor, Dataset dataset, LdPruneSettings settings, DatasetSelection? selection, IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        DatasetManifest manifest = dataset.Manifest;

        long[] variants = (selection ?? DatasetSelection.All).VariantIndices(dataset.VariantCount);
        int[] regionStart = new int[manifest.Regions.Count + 1];
        for (int r = 0, k = 0; r <= manifest.Regions.Count; r++)
        {
            long first = r < manifest.Regions.Count ? manifest.Regions[r].FirstVariant : long.MaxValue;
            while (k < variants.Length && variants[k] < first)
            {
                k++;
            }
            regionStart[r] = k;
        }
        // A variant's contig is its region's (a region holds one contig). Positions matter only to --window-kb windows:
        // reading the variants table for them is a pass over it before the job can start (prune.in's ids are read after).
        var contig = new string[variants.Length];
        for (int r = 0; r < manifest.Regions.Count; r++)
        {
            contig.AsSpan(regionStart[r], regionStart[r + 1] - regionStart[r]).Fill(manifest.Regions[r].Contig);
        }
        long[] position = settings.WindowKb is null ? [] : SelectedVariants.Read(dataset, variants, v => v.Position);
        int[] segmentEnd = SegmentEnds(contig);
        int[] reach = Reach(settings, contig, position, segmentEnd);
        long[] pairOffset = new long[variants.Length + 1];
        for (int k = 0; k < variants.Length; k++)
        {
            pairOffset[k + 1] = pairOffset[k] + reach[k];
        }

        int[] samples = (selection ?? DatasetSelection.All).SampleIndices(dataset.SampleCount);
        byte[][]? masks = samples.Length == dataset.SampleCount ? null : KeepMasks(manifest, samples);
        IReadOnlyList<TileId> tiles = TileGrid.All(dataset).Where(id => regionStart[id.Region + 1] > regionStart[id.Region]).ToList();

        ReadOnlyMemory<byte> InputFor(TileId id)
        {
            int own = regionStart[id.Region + 1] - regionStart[id.Region];
            int first = regionStart[id.Region];
            int last = first;
            for (int k = first; k < first + own; k++)
            {
                last = Math.Max(last, k + reach[k]);
            }
            return new LdPairsInput(masks?[id.Block] ?? [], own, variants[first..(last + 1)], reach[first..(first + own)]).Encode();
        }

        var majorFreq = new double[variants.Length];
        var removed = new bool[variants.Length];
        var above = new ulong[(pairOffset[^1] + 63) >> 6];
        bool IsAbove(int first, int second)
        {
            Debug.Assert(second > first && second - first <= reach[first], "windows only hold pairs the scatter computed");
            long bit = pairOffset[first] + (second - first - 1);
            return (above[bit >> 6] & (1UL << (int)(bit & 63))) != 0;
        }
        // Each contig's greedy pass runs as soon as its last region is summed, beside the tiles still computing, rather
        // than all of them after the job at one core (15 ms of a 0.7 s job at 20,000 x 50,000).
        int nextContig = 0;
        void PruneContigsBefore(int end)
        {
            for (; nextContig < end && segmentEnd[nextContig] <= end; nextContig = segmentEnd[nextContig])
            {
                GreedyPass(settings, position, nextContig, segmentEnd[nextContig], removed, majorFreq, IsAbove);
            }
        }
        double threshold = settings.R2 * (1 + SmallEpsilon);
        // One region's sums at a time, summed over its blocks in tile order.
        int maxOwn = 0;
        long maxPairs = 0;
        for (int r = 0; r < manifest.Regions.Count; r++)
        {
            maxOwn = Math.Max(maxOwn, regionStart[r + 1] - regionStart[r]);
            maxPairs = Math.Max(maxPairs, pairOffset[regionStart[r + 1]] - pairOffset[regionStart[r]]);
        }
        var regionCounts = new int[LdPairsPartial.CountsPerVariant * maxOwn];
        var regionSums = new int[checked(LdPairsPartial.SumsPerPair * maxPairs)];
        await executor.RunAsync(new TileJob(DatasetRef.Of(dataset), LdPairsOperation.OperationName, tiles, InputFor), (id, bytes) =>
        {
            int first = regionStart[id.Region];
            int own = regionStart[id.Region + 1] - first;
            long pairs = pairOffset[first + own] - pairOffset[first];
            var (partialOwn, partialPairs) = LdPairsPartial.AddTo(bytes.Span, regionCounts, regionSums, first: id.Block == 0);
            if (partialOwn != own || partialPairs != pairs)
            {
                throw new InvalidOperationException($"tile {id}: ld partial of {partialOwn} variants and {partialPairs} pairs, expected {own} and {pairs}");
            }
            if (id.Block < manifest.SampleBlockCount - 1)
            {
                return;
            }
            for (int i = 0; i < own; i++)
            {
                int called = regionCounts[3 * i], homRef = regionCounts[3 * i + 1], homAlt = regionCounts[3 * i + 2];
                int het = called - homRef - homAlt;
                removed[first + i] = (homRef == 0 && homAlt == 0) || homRef == called || homAlt == called;
                double refFreq = (2.0 * homRef + het) / (2.0 * called);
                majorFreq[first + i] = 2 * homRef + het >= het + 2 * homAlt ? refFreq : 1 - refFreq;
            }
            MarkAbove(regionSums.AsSpan(0, checked((int)(LdPairsPartial.SumsPerPair * pairs))), pairOffset[first], above, threshold);
            // Every variant before the next region's first is now counted, and every pair it starts summed.
            PruneContigsBefore(regionStart[id.Region + 1]);
        }, progress, ct).ConfigureAwait(false);
        PruneContigsBefore(variants.Length);
        progress?.Report(1);
        return new LdPruneResult(dataset, settings, variants, removed);
    }

    /// <summary>
    /// Sets bit <paramref name="firstBit"/> + p of <paramref name="above"/> for each pair p whose sums give r² above the
    /// threshold. This and the greedy pass below are optimised at once: as ReadyToRun code their calls into CoreLib go
    /// through stubs, and a 54,051-variant job makes millions of them before tiering replaces it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MarkAbove(ReadOnlySpan<int> sums, long firstBit, ulong[] above, double threshold)
    {
        long bit = firstBit;
        for (int at = 0; at < sums.Length; at += LdPairsPartial.SumsPerPair, bit++)
        {
            if (Above(sums.Slice(at, LdPairsPartial.SumsPerPair), threshold))
            {
                above[bit >> 6] |= 1UL << (int)(bit & 63);
            }
        }
    }

    /// <summary>r² &gt; threshold from (n, Σa, Σa², Σb, Σb², Σab), in plink2's arithmetic (each term scaled by n).</summary>
    internal static bool Above(ReadOnlySpan<int> s, double threshold)
    {
        long n = s[0];
        double cov = (double)(s[5] * n - (long)s[1] * s[3]);
        double varA = (double)(s[2] * n - (long)s[1] * s[1]);
        double varB = (double)(s[4] * n - (long)s[3] * s[3]);
        return cov * cov > threshold * varA * varB;
    }

    /// <summary>
    /// plink2's window loop over one contig [start, end) of participating variants (IndepPairwiseThread with
    /// LdPruneNextSubcontig / LdPruneNextWindow): load the window, scan it, then drop removed variants and those before
    /// the next window's start.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GreedyPass(LdPruneSettings settings, long[] position, int start, int end, bool[] removed, double[] majorFreq, Func<int, int, bool> isAbove)
    {
        long windowBp = (settings.WindowKb ?? 0) * 1000L;
        var window = new List<int>();
        int windowStart = start;
        int windowEnd = settings.WindowKb is null ? Math.Min(start + settings.WindowVariants!.Value, end) : BpEnd(position, start, start + 1, end, windowBp);
        for (int k = start; k < windowEnd; k++)
        {
            window.Add(k);
        }
        var firstUnchecked = new int[end - start];
        for (int k = start; k < end; k++)
        {
            firstUnchecked[k - start] = k + 1;
        }
        while (true)
        {
            ScanWindow(window, windowEnd, removed, majorFreq, isAbove, firstUnchecked, start);
            if (windowEnd == end)
            {
                return;
            }
            int newEnd;
            if (settings.WindowKb is null)
            {
                windowStart += settings.Step;
                newEnd = Math.Min(windowStart + settings.WindowVariants!.Value, end);
            }
            else
            {
                long minStart = position[windowEnd] - windowBp;
                do
                {
                    windowStart++;
                }
                while (position[windowStart] < minStart);
                newEnd = BpEnd(position, windowStart, windowEnd + 1, end, windowBp);
            }
            window.RemoveAll(k => removed[k] || k < windowStart);
            for (int k = windowEnd; k < newEnd; k++)
            {
                window.Add(k);
            }
            windowEnd = newEnd;
        }
    }

    /// <summary>
    /// One window, in the order plink2 2.00a3 prunes (the PLINK 1.x order): each variant, oldest first, is compared
    /// with the later ones it has not been compared with yet until one pair is above the threshold; of that pair the
    /// variant with the lower MAF goes (the later one on a tie); passes repeat while they remove something.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanWindow(List<int> window, int windowEnd, bool[] removed, double[] majorFreq, Func<int, int, bool> isAbove, int[] firstUnchecked, int offset)
    {
        int removedCount = window.Count(k => removed[k]);
        int previous;
        do
        {
            previous = removedCount;
            for (int f = 0; f < window.Count; f++)
            {
                int first = window[f];
                if (removed[first] || firstUnchecked[first - offset] == windowEnd)
                {
                    continue;
                }
                int s = f + 1;
                while (s < window.Count && (removed[window[s]] || window[s] < firstUnchecked[first - offset]))
                {
                    s++;
                }
                while (true)
                {
                    if (s == window.Count)
                    {
                        firstUnchecked[first - offset] = windowEnd;
                        break;
                    }
                    int second = window[s];
                    if (isAbove(first, second))
                    {
                        if (majorFreq[first] > majorFreq[second] * (1 + SmallEpsilon))
                        {
                            removed[first] = true;
                        }
                        else
                        {
                            removed[second] = true;
                            int next = s + 1;
                            while (next < window.Count && removed[window[next]])
                            {
                                next++;
                            }
                            firstUnchecked[first - offset] = next < window.Count ? window[next] : windowEnd;
                        }
                        break;
                    }
                    s++;
                    while (s < window.Count && removed[window[s]])
                    {
                        s++;
                    }
                }
            }
            removedCount = window.Count(k => removed[k]);
        }
        while (removedCount > previous);
    }

    /// <summary>The first variant from <paramref name="from"/> on that lies more than the window past <paramref name="windowStart"/>'s position, or <paramref name="end"/>.</summary>
    private static int BpEnd(long[] position, int windowStart, int from, int end, long windowBp)
    {
        int k = from;
        while (k < end && position[k] <= position[windowStart] + windowBp)
        {
            k++;
        }
        return k;
    }

    /// <summary>For each participating variant, how many following ones on its contig share a window with it.</summary>
    private static int[] Reach(LdPruneSettings settings, string[] contig, long[] position, int[] segmentEnd)
    {
        var reach = new int[contig.Length];
        long windowBp = (settings.WindowKb ?? 0) * 1000L;
        for (int k = 0, j = 0; k < contig.Length; k++)
        {
            if (settings.WindowVariants is { } size)
            {
                reach[k] = Math.Min(size - 1, segmentEnd[k] - 1 - k);
                continue;
            }
            if (k + 1 < segmentEnd[k] && position[k + 1] < position[k])
            {
                throw new StageParameterException("window-kb", $"needs positions sorted within each contig; {contig[k]}:{position[k + 1]} follows {contig[k]}:{position[k]}");
            }
            j = Math.Max(j, k + 1);
            while (j < segmentEnd[k] && position[j] - position[k] <= windowBp)
            {
                j++;
            }
            reach[k] = j - 1 - k;
            if (reach[k] >= LdPruneSettings.MaxWindowVariants)
            {
                throw new StageParameterException("window-kb", $"{settings.WindowKb} puts {reach[k] + 1} variants in one window ({contig[k]}:{position[k]} onwards); at most {LdPruneSettings.MaxWindowVariants} are supported, which bounds the tile partials: use a smaller window-kb or window-variants");
            }
        }
        return reach;
    }

    /// <summary>For each position, the end of its run of variants on the same contig.</summary>
    private static int[] SegmentEnds(string[] contig)
    {
        var ends = new int[contig.Length];
        for (int k = contig.Length - 1; k >= 0; k--)
        {
            ends[k] = k + 1 < contig.Length && string.Equals(contig[k + 1], contig[k], StringComparison.Ordinal) ? ends[k + 1] : k + 1;
        }
        return ends;
    }

    private static byte[][] KeepMasks(DatasetManifest manifest, IReadOnlyList<int> samples)
    {
        var masks = new byte[manifest.SampleBlockCount][];
        for (int b = 0; b < masks.Length; b++)
        {
            masks[b] = new byte[PackedGenotypes.RowBytes(manifest.BlockSampleCount(b))];
        }
        foreach (int s in samples)
        {
            PackedGenotypes.SetCode(masks[s / manifest.SamplesPerTile], s % manifest.SamplesPerTile, 0b11);
        }
        return masks;
    }
}
