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
    public sealed record Request(Dataset Dataset, SampleTable Phenotypes, string Target, IReadOnlyList<string> Covariates, SampleTable? Pcs, string? PcaSource,
        TrainingSettings Settings, TestSplit Split, DatasetSelection Selection, int RowsPerShard = TrainingData.DefaultRowsPerShard);

    public sealed record Result(TrainingResult Training, ModelFile Model, string Target, int TrainRows, int TestRows, int MissingTarget, int NoPhenotype, int Parameters);

    public static async Task<Result> RunAsync(StageContext context, Request request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        request.Settings.Validate();
        StageParameterException.ThrowIfBelowOne("rows-per-shard", request.RowsPerShard);
        TestSplit.CheckFraction(request.Split.Fraction);
        var store = context.CreateScratch();
        TrainingData data = TrainingData.Build(request.Dataset, request.Phenotypes, request.Target, request.Covariates, request.Pcs, request.Settings.Model, request.Split,
            store.DirectoryOf("shards"), request.Selection.Variants, request.Selection.Samples, request.RowsPerShard);
        TrainingResult result = await Trainer.RunAsync(context.Executor, data, request.Settings, store, context.Progress, context.CancellationToken).ConfigureAwait(false);
        ModelFile model = TrainingOutput.Write(result, data, request.Split, context.OutputDirectory, request.RowsPerShard, request.PcaSource);
        return new Result(result, model, data.Target, data.TrainRows, data.TestRows, data.MissingTarget, data.NoPhenotype, data.Parameters);
    }

    /// <summary>R² and RMSE (linear) or AUC, log-loss and accuracy (logistic), tab-separated.</summary>
    public static string Describe(TrainingModel model, TrainingMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return model == TrainingModel.Linear
            ? string.Create(CultureInfo.InvariantCulture, $"R² {metrics.R2:F4}\tRMSE {metrics.Rmse:G5}")
            : string.Create(CultureInfo.InvariantCulture, $"AUC {metrics.Auc:F4}\tlog-loss {metrics.LogLoss:F4}\taccuracy {metrics.Accuracy:F4}");
    }

    public static IEnumerable<string> Report(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        TrainingResult training = result.Training;
        TrainingSettings settings = training.Settings;
        yield return $"{settings.Model.ToString().ToLowerInvariant()} model of '{result.Target}' on {result.TrainRows:N0} training samples ({result.TestRows:N0} test; {result.MissingTarget:N0} left out with a missing target, {result.NoPhenotype:N0} without a phenotype row) x {result.Parameters:N0} features";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"{settings.Aggregate.ToString().ToLowerInvariant()}: l1 {training.L1:G4}, l2 {training.L2:G4}{(training.CrossValidation is { } cv ? $" (chosen by {cv.Folds}-fold cross-validation)" : "")}{(settings.Aggregate == Aggregation.Average ? $", {training.Rounds} rounds{(training.Converged ? "" : " (not converged)")}" : "")}");
        foreach (var (name, metrics) in new[] { ("train", training.Train), ("test", training.Test) })
        {
            if (metrics is not null)
            {
                yield return $"{name}\t{Describe(settings.Model, metrics)}";
            }
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
