using GenoFlow.Analysis.Execution;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// One training run over the sample shards of a <see cref="TrainingData"/>: its scatters, the shared standardisation
/// (means and inverse sds, written as the scaling piece every operation reads), and the final evaluation. The
/// aggregations (<see cref="ExactRidge"/>, <see cref="ParameterAveraging"/>) are built on it.
/// </summary>
internal sealed class TrainingJob(IJobExecutor executor, TrainingData data, TrainingSettings settings, ScratchStore store, double[]? warmStart, CancellationToken ct)
{
    private const string ScalingPiece = "scaling";

    private readonly ShardSetRef _shards = ShardSetRef.Of(data.Shards);
    private readonly int _shardCount = data.Shards.ShardCount;
    private readonly int _p = data.Parameters;
    private int[] _trainRows = [];
    private double[] _mean = [];
    private double[] _inverseSd = [];
    private readonly (double Negative, double Positive) _classWeights =
        settings.Weights.Resolve(Enumerable.Range(0, data.Targets.Count).Where(r => !data.IsTest[r]).Select(r => data.Targets[r]));

    /// <summary>Weights of class 0 and class 1 in the loss (1 and 1 unless --class-weight).</summary>
    public (double Negative, double Positive) ClassWeights => _classWeights;

    public TrainingData Data => data;

    public TrainingSettings Settings => settings;

    public ScratchStore Store => store;

    /// <summary>Features (variants, then covariates and PCs); θ has one more entry, the intercept.</summary>
    public int Parameters => _p;

    public int ShardCount => _shardCount;

    /// <summary>Per shard, set by <see cref="Standardise"/>.</summary>
    public IReadOnlyList<int> TrainRows => _trainRows;

    public int Folds => settings.Folds;

    public TrainingStep Step(string parameters, string output, string margins = "", int holdOut = ShardFeatures.NoFold, int epochs = 0, double step = 0, double l1 = 0,
        double l2 = 0, int folds = 0) =>
        new(store.JobId, ScalingPiece, settings.Model, parameters, output, margins, holdOut, epochs, step, l1, l2, folds, _classWeights.Negative, _classWeights.Positive);

    public async Task<TrainingPartial[]> Scatter(string operation, Func<int, TrainingStep> step)
    {
        var partials = new TrainingPartial[_shardCount];
        await executor.RunAsync(new SampleShardJob(_shards, operation, _shardCount, s => step(s).Encode()),
            (s, bytes) => partials[s] = TrainingPartial.Decode(bytes.Span), null, ct).ConfigureAwait(false);
        return partials;
    }

    /// <summary>Reads and removes each shard's piece in shard order.</summary>
    public void ReadPieces(Func<int, string> name, Action<int, double[]> use)
    {
        for (int s = 0; s < _shardCount; s++)
        {
            string piece = name(s);
            if (store.Exists(piece))
            {
                use(s, store.Read<double>(piece));
                store.Remove(piece);
            }
        }
    }

    public async Task Standardise()
    {
        TrainingPartial[] partials = await Scatter(MomentsOperation.OperationName, s => Step("", $"moments-s{s}")).ConfigureAwait(false);
        _trainRows = [.. partials.Select(p => p.TrainRows)];
        int variants = data.Variants.Count;
        var moments = new double[4 * variants + 3 * data.ExtraNames.Count];
        ReadPieces(s => $"moments-s{s}", (_, piece) =>
        {
            for (int i = 0; i < moments.Length; i++)
            {
                moments[i] += piece[i];
            }
        });
        _mean = new double[_p];
        _inverseSd = new double[_p];
        for (int j = 0; j < variants; j++)
        {
            // Codes 0b00, 0b10, 0b11 carry 2, 1, 0 ALT alleles; 0b01 is missing.
            double two = moments[4 * j], one = moments[4 * j + 2], zero = moments[4 * j + 3];
            double n = two + one + zero;
            double mean = n > 0 ? (2 * two + one) / n : 0;
            double variance = n > 0 ? (two * (2 - mean) * (2 - mean) + one * (1 - mean) * (1 - mean) + zero * mean * mean) / n : 0;
            _mean[j] = mean;
            _inverseSd[j] = variance > 1e-12 ? 1 / Math.Sqrt(variance) : 0;
        }
        for (int c = 0; c < data.ExtraNames.Count; c++)
        {
            int at = 4 * variants + 3 * c;
            double n = moments[at];
            double mean = n > 0 ? moments[at + 1] / n : 0;
            double variance = n > 0 ? Math.Max(0, moments[at + 2] / n - mean * mean) : 0;
            _mean[variants + c] = mean;
            _inverseSd[variants + c] = variance > 1e-12 * Math.Max(1, mean * mean) ? 1 / Math.Sqrt(variance) : 0;
        }
        store.Write<double>(ScalingPiece, [.. _mean, .. _inverseSd]);
    }

    public double[] InitialTheta()
    {
        if (warmStart is not null)
        {
            return [.. warmStart];
        }
        var theta = new double[_p + 1];
        double sum = 0, n = 0;
        for (int r = 0; r < data.Targets.Count; r++)
        {
            if (!data.IsTest[r])
            {
                // The optimum of the intercept alone under the class weights.
                double w = settings.Model == TrainingModel.Linear ? 1 : data.Targets[r] == 1 ? _classWeights.Positive : _classWeights.Negative;
                sum += w * data.Targets[r];
                n += w;
            }
        }
        double mean = sum / n;
        theta[_p] = settings.Model == TrainingModel.Linear ? mean : Math.Log(mean / (1 - mean));
        return theta;
    }

    public double Penalty(double[] theta, double l1, double l2)
    {
        double penalty = 0;
        for (int j = 0; j < _p; j++)
        {
            penalty += l1 * Math.Abs(theta[j]) + l2 / 2 * theta[j] * theta[j];
        }
        return penalty;
    }

    /// <summary>Every row's margin, from the shards' margin pieces (read and removed in shard order).</summary>
    public double[] Margins(Func<int, string> name)
    {
        var margins = new double[data.Targets.Count];
        ReadPieces(name, (s, piece) => piece.CopyTo(margins, data.Shards.Manifest.Shards[s].FirstRow));
        return margins;
    }

    public RoundRecord Record(int round, double objective, double[] margins) =>
        new(round, objective, TrainingMetrics.Of(settings.Model, data.Targets, margins, r => !data.IsTest[r])!,
            TrainingMetrics.Of(settings.Model, data.Targets, margins, r => data.IsTest[r]));

    /// <summary>
    /// Which features a fit on the rows outside fold <paramref name="holdOut"/> may use under --select-top K: the K
    /// variants of largest marginal association there (<see cref="ScreenOperation"/>; ties to the earlier variant)
    /// and every other feature; null without --select-top.
    /// </summary>
    public async Task<bool[]?> Screen(int holdOut)
    {
        if (settings.SelectTop is not { } k)
        {
            return null;
        }
        int w = _p + 1;
        string piece = $"screen{holdOut}";
        await Scatter(ScreenOperation.OperationName, s => Step("", $"{piece}-s{s}", holdOut: holdOut)).ConfigureAwait(false);
        var sums = new double[2 * w];
        ReadPieces(s => $"{piece}-s{s}", (_, part) =>
        {
            for (int i = 0; i < sums.Length; i++)
            {
                sums[i] += part[i];
            }
        });
        double meanY = sums[w - 1] / sums[2 * w - 1];
        int variants = data.Variants.Count;
        var keep = new bool[_p];
        foreach (int j in Enumerable.Range(0, variants).OrderByDescending(j => Math.Abs(sums[j] - meanY * sums[w + j])).ThenBy(j => j).Take(k))
        {
            keep[j] = true;
        }
        Array.Fill(keep, true, variants, _p - variants);
        return keep;
    }

    /// <summary>
    /// Each fold's validation metrics: fold f's model (<paramref name="foldThetas"/>[f]) scored on fold f's rows, one
    /// evaluation scatter per fold.
    /// </summary>
    public async Task<IReadOnlyList<TrainingMetrics>> FoldMetrics(double[][] foldThetas)
    {
        var metrics = new TrainingMetrics[foldThetas.Length];
        for (int f = 0; f < foldThetas.Length; f++)
        {
            string piece = $"fold{f}-final";
            store.Write<double>(piece, foldThetas[f]);
            await Scatter(LocalFitOperation.OperationName, s => Step(piece, "", $"{piece}-m{s}", holdOut: f)).ConfigureAwait(false);
            store.Remove(piece);
            double[] margins = Margins(s => $"{piece}-m{s}");
            int fold = f;
            double? threshold = Threshold(margins, r => data.Folds[r] != CrossValidationFolds.Test && data.Folds[r] != fold);
            metrics[f] = TrainingMetrics.Of(settings.Model, data.Targets, margins, r => data.Folds[r] == fold, threshold)
                ?? throw new Stages.StageException($"cross-validation fold {f} has no samples: {data.TrainRows:N0} training samples cannot fill {foldThetas.Length} folds (give fewer --folds)");
        }
        return metrics;
    }

    /// <summary>The Youden-J probability threshold of a logistic model on the given (training) rows; null for linear models.</summary>
    private double? Threshold(double[] margins, Func<int, bool> training) =>
        settings.Model == TrainingModel.Logistic ? ModelEvaluation.YoudenThreshold(data.Targets, margins, training) : null;

    /// <summary>Margins of every row at the final θ (one evaluation scatter), metrics, and the result.</summary>
    public async Task<TrainingResult> Finish(double[] theta, double l1, double l2, int rounds, bool converged, double step, List<RoundRecord> history, CrossValidation? cv)
    {
        store.Write<double>("final", theta);
        TrainingPartial[] partials = await Scatter(LocalFitOperation.OperationName, s => Step("final", "", $"final-m{s}")).ConfigureAwait(false);
        double[] margins = Margins(s => $"final-m{s}");
        double objective = partials.Sum(p => p.Loss) / _trainRows.Sum() + Penalty(theta, l1, l2);
        double? threshold = Threshold(margins, r => !data.IsTest[r]);
        IReadOnlyList<FeatureImportance> importance = await PermutationImportance.RunAsync(this, theta).ConfigureAwait(false);
        return new TrainingResult(settings, l1, l2, theta, _mean, _inverseSd, rounds, converged, step, history, cv, margins,
            TrainingMetrics.Of(settings.Model, data.Targets, margins, r => !data.IsTest[r], threshold)!,
            TrainingMetrics.Of(settings.Model, data.Targets, margins, r => data.IsTest[r], threshold), objective, threshold, _classWeights, importance);
    }
}
