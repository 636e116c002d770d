using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Pca;

/// <summary>The projection stage: scores of a dataset's samples on a PCA model (<see cref="Projection"/>), published and handed on.</summary>
public static class ProjectStage
{
    public sealed record Request(Dataset Dataset, Projection.Model Model);

    /// <param name="Scores">Every sample's scores (<c>sample_id PC1..PCK</c>), as the published scores.tsv holds them.</param>
    public sealed record Result(int K, int Matched, int Flipped, int ModelVariants, int Samples, SampleTable Scores);

    public static async Task<Result> RunAsync(StageContext context, Request request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var store = context.CreateScratch();
        Projection.Result projected = await Projection.RunAsync(context.Executor, request.Dataset, request.Model, store, context.CancellationToken).ConfigureAwait(false);
        SampleTable scores = Projection.Write(projected, request.Dataset, context.OutputDirectory);
        return new Result(projected.K, projected.Matched, projected.Flipped, projected.ModelVariants, request.Dataset.SampleCount, scores);
    }

    public static IEnumerable<string> Report(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        yield return $"{result.Matched:N0} of the model's {result.ModelVariants:N0} variants found ({result.Flipped:N0} with swapped alleles); {result.Samples:N0} samples scored on {result.K} PCs";
    }
}
