using System.Globalization;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// The PCA stage: <see cref="PrincipalComponents"/> over the selected variants and samples, its tables and model
/// published, and the model and the scores handed on as objects (projection, k-means and training use them).
/// </summary>
public static class PcaStage
{
    /// <param name="KeepQc">Where the sample/variant filter came from, as model.json records it (a QC directory), or null.</param>
    /// <param name="Extract">Where a variant list came from, as model.json records it, or null.</param>
    /// <param name="WarmStart">An earlier fit's model (e.g. the previous release's) to start the randomized iteration from:
    /// the dataset's samples are first projected onto it, and their scores seed the Krylov start block.</param>
    public sealed record Request(Dataset Dataset, PcaSettings Settings, DatasetSelection Selection, string? KeepQc = null, string? Extract = null,
        Projection.Model? WarmStart = null);

    /// <param name="Pca">Eigenvalues, frequencies and convergence; its scratch pieces are gone once the stage returns.</param>
    /// <param name="Scores">Scores of the kept samples (<c>sample_id PC1..PCK</c>), as scores.tsv holds them.</param>
    public sealed record Result(PcaResult Pca, Projection.Model Model, SampleTable Scores, bool WarmStarted = false);

    public static async Task<Result> RunAsync(StageContext context, Request request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        request.Settings.Validate();
        WarmStart? warm = null;
        if (request.WarmStart is { } previous)
        {
            Projection.Result projected = await Projection.RunAsync(context.Executor, request.Dataset, previous, context.CreateScratch(), context.CancellationToken).ConfigureAwait(false);
            warm = new WarmStart(projected.K, b => projected.Store.Read<double>(Projection.Result.ScoresPiece(b)));
        }
        var store = context.CreateScratch();
        PcaResult pca = await PrincipalComponents.RunAsync(context.Executor, request.Dataset, request.Settings, store, request.Selection.Variants, request.Selection.Samples,
            context.Progress, warm, context.CancellationToken).ConfigureAwait(false);
        var (model, scores) = PcaOutput.Write(pca, request.Dataset, context.OutputDirectory, request.KeepQc, request.Extract);
        return new Result(pca, model, scores, warm is not null);
    }

    public static IEnumerable<string> Report(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        PcaResult pca = result.Pca;
        PcaSettings settings = pca.Settings;
        yield return $"{pca.K} principal components of {pca.SampleKept.Count(x => x):N0} samples x {pca.VariantsUsed:N0} variants ({settings.Method.ToString().ToLowerInvariant()}{(settings.Method == PcaMethod.Randomized ? $", {pca.Iterations} iterations{(result.WarmStarted ? ", warm-started" : "")}" : "")})";
        for (int pc = 0; pc < pca.K; pc++)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"PC{pc + 1}\t{pca.Eigenvalues[pc]:G6}\t{pca.Eigenvalues[pc] / pca.Trace:P2}");
        }
    }

    /// <summary>A warning when the iteration stopped at its limit, else null.</summary>
    public static string? Warning(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        PcaSettings settings = result.Pca.Settings;
        return result.Pca.Converged ? null
            : $"the top-{result.Pca.K} Ritz pairs did not converge (residual tolerance {settings.ResidualTolerance}, bulk tolerance {settings.Tolerance}) within max-iterations {settings.MaxIterations}; model.json records converged: false";
    }
}
