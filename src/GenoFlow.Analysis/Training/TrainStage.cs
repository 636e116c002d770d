using System.Globalization;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The training stage: the selected variants (+ covariates + PCs) of the samples with a target into sample shards in
/// scratch space, <see cref="Trainer"/> over them, model.json, predictions.tsv and metrics.json published, and the model
/// handed on (prediction uses it).
/// </summary>
public static class TrainStage
{
    /// <param name="Pcs">PC scores used as features (a PCA's or a projection's), or null.</param>
    /// <param name="PcaSource">Where <paramref name="Pcs"/> came from, as model.json records it (a PCA directory), or null.</param>
    /// <param name="CausalVariants">A simulation's causal_variants.tsv to score the weight ranking against, or null.</param>
    /// <param name="Features">Per-sample feature tables (--features), or null.</param>
    /// <param name="WarmStarts">A warm start was asked for; <paramref name="WarmStart"/> is null on a pipeline's first run, and aggregate auto averages either way.</param>
    public sealed record Request(Dataset Dataset, SampleTable Phenotypes, string Target, IReadOnlyList<string> Covariates, SampleTable? Pcs, string? PcaSource,
        TrainingSettings Settings, TestSplit Split, DatasetSelection Selection, int RowsPerShard = TrainingData.DefaultRowsPerShard, string? CausalVariants = null,
        IReadOnlyList<FeatureTable>? Features = null, ModelFile? WarmStart = null, bool WarmStarts = false);

    public sealed record Result(TrainingResult Training, ModelFile Model, string Target, int TrainRows, int TestRows, int MissingTarget, int NoPhenotype, int Parameters,
        IReadOnlyList<RecoveryAtK>? CausalRecovery = null, IReadOnlyList<FeatureTableCounts>? FeatureTables = null);

    public static async Task<Result> RunAsync(StageContext context, Request request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        request.Settings.Validate();
        StageParameterException.ThrowIfBelowOne("rows-per-shard", request.RowsPerShard);
        TestSplit.CheckFraction(request.Split.Fraction);
        IReadOnlyDictionary<string, double>? causal = request.CausalVariants is null ? null : CausalRecovery.Read(request.CausalVariants);
        var store = context.CreateScratch();
        TrainingData data = TrainingData.Build(request.Dataset, request.Phenotypes, request.Target, request.Covariates, request.Pcs, request.Settings.Model, request.Split,
            store.DirectoryOf("shards"), request.Selection.Variants, request.Selection.Samples, request.RowsPerShard, request.Settings.Folds,
            request.Features);
        AggregateChoice aggregate = AggregateChoice.Of(request.Settings, data.Parameters, request.WarmStarts || request.WarmStart is not null);
        TrainingSettings settings = request.Settings with { Aggregate = aggregate.Aggregation };
        double[]? warm = request.WarmStart is { } previous ? TrainingWarmStart.Theta(previous, data, settings) : null;
        TrainingResult result = await Trainer.RunAsync(context.Executor, data, settings, store, context.Progress, warm, context.CancellationToken).ConfigureAwait(false);
        result = result with { AggregateReason = aggregate.Reason };
        IReadOnlyList<RecoveryAtK>? recovery = causal is null ? null : CausalRecovery.Of(result, data, causal);
        ModelFile model = TrainingOutput.Write(result, data, request.Split, context.OutputDirectory, request.RowsPerShard, request.PcaSource, recovery);
        return new Result(result, model, data.Target, data.TrainRows, data.TestRows, data.MissingTarget, data.NoPhenotype, data.Parameters, recovery, data.FeatureTables);
    }

    /// <summary>
    /// One row of the metrics table, tab-separated: R², RMSE, MAE (linear) or AUC, log-loss, accuracy, precision, recall,
    /// F1 (at 0.5) and PR AUC (logistic).
    /// </summary>
    public static string Describe(TrainingModel model, TrainingMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return model == TrainingModel.Linear
            ? string.Create(CultureInfo.InvariantCulture, $"R² {metrics.R2:F4}\tRMSE {metrics.Rmse:G5}\tMAE {metrics.Mae:G5}")
            : string.Create(CultureInfo.InvariantCulture,
                $"AUC {metrics.Auc:F4}\tlog-loss {metrics.LogLoss:F4}\taccuracy {metrics.Accuracy:F4}\tprecision {metrics.Precision:F4}\trecall {metrics.Recall:F4}\tF1 {metrics.F1:F4}\tPR AUC {metrics.PrAuc:F4}");
    }

    /// <summary>The Youden-J row of a logistic model's metrics (accuracy, precision, recall, F1 at its threshold), or null.</summary>
    public static string? DescribeYouden(TrainingMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.Youden is { } y
            ? string.Create(CultureInfo.InvariantCulture, $"at Youden threshold {y.Threshold:F4}: accuracy {y.Accuracy:F4}\tprecision {y.Precision:F4}\trecall {y.Recall:F4}\tF1 {y.F1:F4}")
            : null;
    }

    public static IEnumerable<string> Report(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        TrainingResult training = result.Training;
        TrainingSettings settings = training.Settings;
        yield return $"{settings.Model.ToString().ToLowerInvariant()} model of '{result.Target}' on {result.TrainRows:N0} training samples ({result.TestRows:N0} test; {result.MissingTarget:N0} left out with a missing target, {result.NoPhenotype:N0} without a phenotype row) x {result.Parameters:N0} features";
        yield return $"aggregation: {settings.Aggregate.ToString().ToLowerInvariant()} ({training.AggregateReason})";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"{settings.Aggregate.ToString().ToLowerInvariant()}: l1 {training.L1:G4}, l2 {training.L2:G4}{(training.CrossValidation is { } cv ? $" ({(cv.L1 is null ? "l2" : "l1 and l2")} chosen by {(cv.Method switch { CvMethod.Gcv => "generalised", CvMethod.Loo => "leave-one-out", _ => $"{cv.Folds}-fold" })} cross-validation)" : "")}{(settings.Aggregate == Aggregation.Average ? $", {training.Rounds} rounds{(training.Converged ? "" : " (not converged)")}" : "")}");
        foreach (var (name, metrics) in new[] { ("train", training.Train), ("test", training.Test) })
        {
            if (metrics is not null)
            {
                yield return $"{name}\t{Describe(settings.Model, metrics)}";
                if (DescribeYouden(metrics) is { } youden)
                {
                    yield return $"{name}\t{youden}";
                }
            }
        }
        foreach (FeatureTableCounts table in result.FeatureTables ?? [])
        {
            yield return FeatureTableCounts.Describe(table);
        }
        foreach (RecoveryAtK k in result.CausalRecovery ?? [])
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"causal variants in the top {k.K} by |weight|: {k.Hits} (precision {k.Precision:F3}, recall {k.Recall:F3}, strong recall {k.StrongRecall:F3})");
        }
        if (training.CrossValidation is { FoldMetrics.Count: > 0 } folds)
        {
            string[] shown = settings.Model == TrainingModel.Linear ? ["r2", "rmse", "mae"] : ["auc", "log_loss", "accuracy", "f1", "pr_auc"];
            yield return $"cv ({folds.Folds} folds, mean ± sd)\t" + string.Join("\t", shown.Where(folds.FoldSummary.ContainsKey)
                .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m} {folds.FoldSummary[m].Mean:F4} ± {folds.FoldSummary[m].Sd:F4}")));
        }
    }

    /// <summary>A warning when averaging stopped at its round limit, else null.</summary>
    public static string? Warning(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        TrainingSettings settings = result.Training.Settings;
        return settings.Aggregate == Aggregation.Average && !result.Training.Converged
            ? $"the parameters did not converge to tolerance {settings.Tolerance} within rounds {settings.Rounds}; model.json records converged: false"
            : null;
    }
}
