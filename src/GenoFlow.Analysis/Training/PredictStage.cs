using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Training;

/// <summary>The prediction stage: every sample of a dataset scored with a trained model (<see cref="Prediction"/>), published.</summary>
public static class PredictStage
{
    /// <param name="Phenotypes">The model's covariates (and its target, for metrics), or null.</param>
    /// <param name="Pcs">The samples' scores on the PCA the model was trained with, or null.</param>
    /// <param name="Features">Tables holding the model's --features columns, or null.</param>
    public sealed record Request(Dataset Dataset, ModelFile Model, SampleTable? Phenotypes, SampleTable? Pcs, int RowsPerShard = TrainingData.DefaultRowsPerShard,
        IReadOnlyList<SampleTable>? Features = null);

    public sealed record Result(Prediction.Result Prediction, ModelFile Model, int Samples);

    public static async Task<Result> RunAsync(StageContext context, Request request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        StageParameterException.ThrowIfBelowOne("rows-per-shard", request.RowsPerShard);
        var store = context.CreateScratch();
        Prediction.Result result = await Prediction.RunAsync(context.Executor, request.Dataset, request.Model, request.Phenotypes, request.Pcs, store, request.RowsPerShard,
            request.Features, context.CancellationToken).ConfigureAwait(false);
        Prediction.Write(result, request.Model, context.OutputDirectory);
        return new Result(result, request.Model, request.Dataset.SampleCount);
    }

    public static IEnumerable<string> Report(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Prediction.Result prediction = result.Prediction;
        yield return $"{prediction.Matched:N0} of the model's {prediction.ModelVariants:N0} variants found ({prediction.Flipped:N0} with swapped alleles); {result.Samples:N0} samples scored";
        if (prediction.Metrics is { } metrics)
        {
            yield return $"{metrics.Samples:N0} samples with '{result.Model.Target}'\t{TrainStage.Describe(result.Model.Model, metrics)}";
            if (TrainStage.DescribeYouden(metrics) is { } youden)
            {
                yield return youden;
            }
        }
    }
}
