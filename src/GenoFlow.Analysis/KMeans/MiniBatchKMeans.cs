using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.KMeans.Operations;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// Mini-batch k-means (Sculley 2010) over sample shards, written once against <see cref="IJobExecutor"/>. Per restart:
/// an initialisation (k-means|| by default, <see cref="KMeansInitialisation"/>), then mini-batch steps: the shards draw
/// their share of the batch and return per-centre sums S_c and counts m_c, and the coordinator moves each centre with
/// Sculley's per-centre learning rate in aggregated form, c ← (v_c·c + S_c)/(v_c + m_c), v_c ← v_c + m_c (sklearn's
/// MiniBatchKMeans update). A restart stops after its step limit, when the centres move less than the tolerance, or
/// when the smoothed batch inertia stops improving (sklearn's rules, <see cref="KMeansSettings"/>). Then
/// <see cref="KMeansSettings.LloydPasses"/> full passes each move every centre to the mean of its rows (a Lloyd step,
/// which never raises the inertia and removes the mini-batch noise left in the centres), and a final full pass gives
/// every restart's exact inertia; the lowest wins (the first on a tie), and one more pass writes its assignments. Every reduction is in shard order and
/// every draw comes from a stream seeded by (seed, restart, step or round, shard), so the result depends on the seed
/// and the rows per shard, never on the executor, node count or timing.
/// </summary>
public static class MiniBatchKMeans
{
    /// <summary>The convergence trace keeps the first <see cref="TraceHead"/> steps, then about <see cref="TraceLength"/> evenly spaced ones, and the last.</summary>
    public const int TraceHead = 100;
    public const int TraceLength = 1000;

    public static async Task<KMeansResult> RunAsync(IJobExecutor executor, KMeansData data, KMeansSettings settings, ScratchStore scratch, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scratch);
        settings.Validate();
        if (settings.K > data.Rows)
        {
            throw new StageParameterException("k", $"{settings.K} is larger than the number of rows ({data.Rows})");
        }
        var restarts = new List<KMeansRestart>();
        (double[] Centres, AssignOperation.Partial Final, IReadOnlyList<KMeansTracePoint> Trace, int Restart)? best = null;
        for (int restart = 0; restart < settings.Restarts; restart++)
        {
            int index = restart;
            var restartProgress = new Progress<double>(p => progress?.Report((index + p) / settings.Restarts));
            double[] centres = await KMeansInitialisation.RunAsync(executor, data, settings, restart, cancellationToken);
            var (trained, steps, reason, trace) = await StepAsync(executor, data, settings, restart, centres, restartProgress, cancellationToken);
            for (int pass = 0; pass < settings.LloydPasses; pass++)
            {
                trained = Means(await AssignAsync(executor, data, trained, "", "", cancellationToken), trained, data.Dimensions);
            }
            AssignOperation.Partial final = await AssignAsync(executor, data, trained, "", "", cancellationToken);
            double inertia = Sum(final.Inertia);
            restarts.Add(new KMeansRestart(restart, steps, reason, inertia));
            if (best is null || inertia < Sum(best.Value.Final.Inertia))
            {
                best = (trained, final, trace, restart);
            }
        }
        var (bestCentres, bestFinal, bestTrace, bestRestart) = best!.Value;
        // One more pass writes the kept restart's assignments (the same nearest centres as its inertia pass).
        string bestPrefix = $"assign-k{settings.K}";
        await AssignAsync(executor, data, bestCentres, scratch.JobId, bestPrefix, cancellationToken);
        int d = data.Dimensions;
        double[] original = new double[bestCentres.Length];
        for (int c = 0; c < settings.K; c++)
        {
            data.Scaling.Unapply(bestCentres.AsSpan(c * d, d)).CopyTo(original.AsSpan(c * d, d));
        }
        string[] pieces = Enumerable.Range(0, data.ShardCount).Select(s => Path.Join(scratch.Directory, AssignOperation.PieceName(bestPrefix, s))).ToArray();
        return new KMeansResult(settings, data.Rows, data.Columns, data.Standardized, bestCentres, original, Sum(bestFinal.Inertia), bestFinal.Counts, bestFinal.Inertia,
            bestRestart, restarts, bestTrace, pieces);
    }

    /// <summary>Sculley's update of one centre from a batch's sum and count: c ← (v·c + S)/(v + m), v ← v + m.</summary>
    internal static void Update(Span<double> centre, ref double seen, ReadOnlySpan<double> sum, long count)
    {
        if (count == 0)
        {
            return;
        }
        double total = seen + count;
        for (int j = 0; j < centre.Length; j++)
        {
            centre[j] = (seen * centre[j] + sum[j]) / total;
        }
        seen = total;
    }

    private static async Task<(double[] Centres, long Steps, string Reason, List<KMeansTracePoint> Trace)> StepAsync(
        IJobExecutor executor, KMeansData data, KMeansSettings settings, int restart, double[] initial, IProgress<double> progress, CancellationToken cancellationToken)
    {
        int k = settings.K;
        int d = data.Dimensions;
        int batch = settings.EffectiveBatch(data.Rows);
        int[] shares = data.Apportion(batch);
        long maxSteps = settings.StepsFor(data.Rows);
        double alpha = Math.Min(batch * 2.0 / (data.Rows + 1), 1);
        double tolerance = settings.Tolerance * data.MeanVariance;
        double[] centres = (double[])initial.Clone();
        var seen = new double[k];
        var trace = new List<KMeansTracePoint>();
        double? smoothed = null;
        double? smoothedMin = null;
        int noImprovement = 0;
        long traceStride = Math.Max(1, maxSteps / TraceLength);
        var sums = new double[k * d];
        var counts = new long[k];
        for (long step = 1; step <= maxSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Array.Clear(sums);
            Array.Clear(counts);
            double inertia = 0;
            double[] current = centres;
            long stepIndex = step;
            await executor.RunAsync(new SampleShardJob(data.Set, StepOperation.OperationName, data.ShardCount,
                s => StepOperation.Encode(new StepOperation.Input(data.Scaling, current, shares[s], settings.Seed, restart, stepIndex))), (_, bytes) =>
            {
                StepOperation.Partial partial = StepOperation.Decode(bytes.Span);
                for (int i = 0; i < sums.Length; i++)
                {
                    sums[i] += partial.Sums[i];
                }
                for (int c = 0; c < k; c++)
                {
                    counts[c] += partial.Counts[c];
                }
                inertia += partial.Inertia;
            }, null, cancellationToken);
            double[] next = (double[])centres.Clone();
            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                Update(next.AsSpan(c * d, d), ref seen[c], sums.AsSpan(c * d, d), counts[c]);
                shift += SquaredDistance.Compute(next.AsSpan(c * d, d), centres.AsSpan(c * d, d));
            }
            centres = next;
            double batchInertia = inertia / batch;
            progress.Report((double)step / maxSteps);
            string? stop = null;
            double smoothedValue = double.NaN;
            // As sklearn: the first batch measures the initialisation, not the training, and takes no part in stopping.
            if (step > 1)
            {
                smoothed = smoothed is null ? batchInertia : smoothed.Value * (1 - alpha) + batchInertia * alpha;
                smoothedValue = smoothed.Value;
                if (smoothedMin is null || smoothed < smoothedMin)
                {
                    noImprovement = 0;
                    smoothedMin = smoothed;
                }
                else
                {
                    noImprovement++;
                }
                stop = tolerance > 0 && shift <= tolerance ? "tolerance"
                    : settings.MaxNoImprovement > 0 && noImprovement >= settings.MaxNoImprovement ? "no-improvement"
                    : step == maxSteps ? "max-steps"
                    : null;
            }
            else if (step == maxSteps)
            {
                stop = "max-steps";
            }
            if (step <= TraceHead || step % traceStride == 0 || stop is not null)
            {
                trace.Add(new KMeansTracePoint(step, batchInertia, smoothedValue, shift));
            }
            if (stop is not null)
            {
                return (centres, step, stop, trace);
            }
        }
        return (centres, maxSteps, "max-steps", trace);
    }

    internal static async Task<AssignOperation.Partial> AssignAsync(IJobExecutor executor, KMeansData data, double[] centres, string scratchJob, string prefix, CancellationToken cancellationToken)
    {
        int k = centres.Length / data.Dimensions;
        var counts = new long[k];
        var inertia = new double[k];
        var sums = new double[k * data.Dimensions];
        byte[] input = AssignOperation.Encode(new AssignOperation.Input(data.Scaling, centres, scratchJob, prefix));
        await executor.RunAsync(SampleShardJob.Uniform(data.Set, AssignOperation.OperationName, data.ShardCount, input), (_, bytes) =>
        {
            AssignOperation.Partial partial = AssignOperation.Decode(bytes.Span);
            for (int c = 0; c < k; c++)
            {
                counts[c] += partial.Counts[c];
                inertia[c] += partial.Inertia[c];
            }
            for (int i = 0; i < sums.Length; i++)
            {
                sums[i] += partial.Sums[i];
            }
        }, null, cancellationToken);
        return new AssignOperation.Partial(counts, inertia, sums);
    }

    /// <summary>One Lloyd update: every centre moves to the mean of its rows (a centre without rows stays).</summary>
    private static double[] Means(AssignOperation.Partial pass, double[] centres, int d)
    {
        var means = (double[])centres.Clone();
        for (int c = 0; c < pass.Counts.Length; c++)
        {
            for (int j = 0; j < d && pass.Counts[c] > 0; j++)
            {
                means[c * d + j] = pass.Sums[c * d + j] / pass.Counts[c];
            }
        }
        return means;
    }

    private static double Sum(ReadOnlySpan<double> values) => CostOperation.Sum(values);
}
