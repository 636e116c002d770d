using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Pca;

/// <summary>The projection stage: scores of a dataset's samples on a PCA model (<see cref="Projection"/>), published and handed on.</summary>
public static class ProjectStage
{
    /// <param name="ModelScores">The model's own scores (its scores.tsv) when known: then the drift of the samples it was not
    /// fitted on is reported and written (<see cref="ProjectionDrift"/>).</param>
    /// <param name="Refit">Scores of a refit on <paramref name="Dataset"/>, to correlate the projection with, or null.</param>
    public sealed record Request(Dataset Dataset, Projection.Model Model, SampleTable? ModelScores = null, SampleTable? Refit = null);

    /// <param name="Scores">Every sample's scores (<c>sample_id PC1..PCK</c>), as the published scores.tsv holds them.</param>
    public sealed record Result(int K, int Matched, int Flipped, int ModelVariants, int Samples, SampleTable Scores, ProjectionDrift? Drift = null);

    public static async Task<Result> RunAsync(StageContext context, Request request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var store = context.CreateScratch();
        Projection.Result projected = await Projection.RunAsync(context.Executor, request.Dataset, request.Model, store, context.CancellationToken).ConfigureAwait(false);
        SampleTable scores = Projection.Collect(projected, request.Dataset, context.OutputDirectory);
        ProjectionDrift? drift = request.ModelScores is { } own ? ProjectionDrift.Compute(scores, own, request.Refit, projected.K) : null;
        Projection.Write(projected, scores, context.OutputDirectory, drift);
        return new Result(projected.K, projected.Matched, projected.Flipped, projected.ModelVariants, request.Dataset.SampleCount, scores, drift);
    }

    public static IEnumerable<string> Report(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        yield return $"{result.Matched:N0} of the model's {result.ModelVariants:N0} variants found ({result.Flipped:N0} with swapped alleles); {result.Samples:N0} samples scored on {result.K} PCs";
        foreach (string line in result.Drift?.Report() ?? [])
        {
            yield return line;
        }
    }
}
