using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Trains a regularised linear or logistic model over the sample shards of a <see cref="TrainingData"/>; no node ever
/// holds the cohort, and the coordinator holds only parameter-sized vectors and per-row targets.
/// <para>
/// Standardisation: one scatter of <see cref="MomentsOperation"/> gives per-variant genotype counts and per-covariate
/// moments over the training rows; features are (x − mean)/sd (population sd), missing → 0.
/// </para>
/// <para>
/// average: rounds of <see cref="LocalFitOperation"/>. Every shard starts from the broadcast θ and takes E local
/// gradient epochs on its own rows; the coordinator averages the local θ weighted by shard train-row count, applies the
/// L1 proximal map (soft-thresholding) and Nesterov momentum with adaptive restart (FISTA; Beck &amp; Teboulle 2009,
/// O'Donoghue &amp; Candès 2015), and broadcasts the result. With E = 1 a round is exactly one proximal-gradient step on
/// the whole training set, so the averaged model converges to the centralised optimum. The step is 1/L with L from a
/// 12-step Lanczos estimate of the largest eigenvalue of X̃ᵀX̃/n (<see cref="CurvatureOperation"/>), times 1.1, ×¼ for
/// the log-loss, + l2. Stops when ‖θ_t − θ_(t−1)‖ ≤ tolerance·‖θ_t‖ or after the round limit.
/// </para>
/// <para>
/// exact (linear, L2): one scatter of <see cref="GramOperation"/>; the coordinator sums X̃ᵀX̃ and X̃ᵀy in shard order
/// and solves (X̃ᵀX̃ + n·l2·D) θ = X̃ᵀy by Cholesky (D = identity without the intercept): centralised ridge regression.
/// </para>
/// <para>
/// Parameter vectors travel as <see cref="ScratchStore"/> pieces named in each (small) operation input; every shard
/// writes its local θ as a piece; the coordinator reads them in shard order. Every reduction runs in shard order, so
/// the model is bit-identical on any number of nodes.
/// </para>
/// </summary>
public static class Trainer
{
    /// <param name="warmStart">The averaging fit's starting θ (<see cref="TrainingWarmStart"/>), or null for the intercept-only start.</param>
    public static async Task<TrainingResult> RunAsync(IJobExecutor executor, TrainingData data, TrainingSettings settings, ScratchStore store,
        IProgress<double>? progress = null, double[]? warmStart = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        settings.Validate();
        if (settings.Aggregate == Aggregation.Auto)
        {
            throw new ArgumentException("aggregate auto is decided by AggregateChoice before the fit", nameof(settings));
        }
        if (settings.Aggregate == Aggregation.Exact && data.Parameters > TrainingSettings.ExactMaxParameters)
        {
            throw new StageParameterException("aggregate", $"exact sums (p + 1)² = {(data.Parameters + 1L) * (data.Parameters + 1):N0} numbers per shard and is limited to {TrainingSettings.ExactMaxParameters:N0} features; this model has {data.Parameters:N0} (use aggregate average, or fewer variants)");
        }
        if (settings.CrossValidate && data.Folds.Max() != settings.Folds - 1)
        {
            throw new StageException($"cross-validation with {settings.Folds} folds needs the training data built with as many (it has {data.Folds.Max() + 1}); {data.TrainRows:N0} training samples fill at most that many");
        }
        var job = new TrainingJob(executor, data, settings, store, warmStart, ct);
        await job.Standardise().ConfigureAwait(false);
        progress?.Report(0.05);
        TrainingResult result = settings.Aggregate == Aggregation.Exact
            ? await ExactRidge.RunAsync(job).ConfigureAwait(false)
            : await ParameterAveraging.RunAsync(job, progress).ConfigureAwait(false);
        progress?.Report(1);
        return result;
    }
}
