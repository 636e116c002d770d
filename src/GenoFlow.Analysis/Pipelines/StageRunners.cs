using GenoFlow.Analysis.KMeans;
using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Training;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// Each stage kind as the runner drives it: build the request, run the stage, report it, and say what it gives the
/// stages after it; and, for a stage found up to date, how to load those products back from its output directory (the
/// files it documents, plus <see cref="SelectionFile"/> for LD pruning's kept variants, which prune.in can only name by ID).
/// </summary>
internal static class StageRunners
{
    public sealed record Outcome(Dictionary<PipelineProduct, Lazy<object>> Products, IEnumerable<string> Report, string? Warning = null);

    public static async Task<Outcome> RunAsync(PipelineStage stage, ArtifactLookup artifacts, StageContext context)
    {
        switch (stage.Kind)
        {
            case "qc":
                QcStage.Result qc = await QcStage.RunAsync(context, StageRequests.Qc(stage, artifacts)).ConfigureAwait(false);
                return new(Products(Entry(PipelineProduct.QcSelection, qc.Selection)), QcStage.Report(qc, context.OutputDirectory));
            case "ld-prune":
                LdPruneStage.Result ld = await LdPruneStage.RunAsync(context, StageRequests.LdPrune(stage, artifacts)).ConfigureAwait(false);
                SelectionFile.Write(SelectionPath(context.OutputDirectory), ld.Kept);
                return new(Products(Entry(PipelineProduct.VariantSelection, ld.Kept)), LdPruneStage.Report(ld, context.OutputDirectory));
            case "pca":
                PcaStage.Result pca = await PcaStage.RunAsync(context, StageRequests.Pca(stage, artifacts) with { WarmStart = PreviousModel(stage, context.OutputDirectory) }).ConfigureAwait(false);
                return new(Products(Entry(PipelineProduct.PcaModel, pca.Model), Entry(PipelineProduct.Scores, pca.Scores)), PcaStage.Report(pca), PcaStage.Warning(pca));
            case "project":
                ProjectStage.Result projected = await ProjectStage.RunAsync(context, StageRequests.Project(stage, artifacts)).ConfigureAwait(false);
                return new(Products(Entry(PipelineProduct.Scores, projected.Scores)), ProjectStage.Report(projected));
            case "kmeans":
                KMeansStage.Result clusters = await KMeansStage.RunAsync(context, StageRequests.KMeans(stage, artifacts)).ConfigureAwait(false);
                return new(Products(Entry(PipelineProduct.Clusters, clusters)), KMeansStage.Report(clusters));
            case "train":
                TrainStage.Result trained = await TrainStage.RunAsync(context, StageRequests.Train(stage, artifacts) with { WarmStart = PreviousTrainedModel(stage, context.OutputDirectory) }).ConfigureAwait(false);
                return new(Products(Entry(PipelineProduct.TrainedModel, trained.Model)), TrainStage.Report(trained), TrainStage.Warning(trained));
            case "predict":
                PredictStage.Result predicted = await PredictStage.RunAsync(context, StageRequests.Predict(stage, artifacts)).ConfigureAwait(false);
                return new(Products(Entry(PipelineProduct.Predictions, predicted)), PredictStage.Report(predicted));
            default:
                throw new InvalidOperationException($"no runner for stage kind '{stage.Kind}'");
        }
    }

    /// <summary>The products of a stage an earlier run completed, loaded from its output directory when first asked for.</summary>
    public static Dictionary<PipelineProduct, Lazy<object>> Load(PipelineStage stage, ArtifactLookup artifacts, string directory) => stage.Kind switch
    {
        "qc" => new Dictionary<PipelineProduct, Lazy<object>>
        {
            [PipelineProduct.QcSelection] = Artifact.Load(() => DatasetSelection.Kept(QcFilter.Load(directory, artifacts.Dataset(stage, "dataset")), artifacts.Dataset(stage, "dataset"))),
        },
        "ld-prune" => new Dictionary<PipelineProduct, Lazy<object>>
        {
            [PipelineProduct.VariantSelection] = Artifact.Load(() => SelectionFile.Read(SelectionPath(directory), artifacts.Dataset(stage, "dataset"))),
        },
        "pca" => new Dictionary<PipelineProduct, Lazy<object>>
        {
            [PipelineProduct.PcaModel] = Artifact.Load(() => Projection.Model.Load(directory)),
            [PipelineProduct.Scores] = Artifact.Load(() => SampleTable.Read(Path.Join(directory, PcaOutput.ScoresFile))),
        },
        "project" => new Dictionary<PipelineProduct, Lazy<object>>
        {
            [PipelineProduct.Scores] = Artifact.Load(() => SampleTable.Read(Path.Join(directory, PcaOutput.ScoresFile))),
        },
        "train" => new Dictionary<PipelineProduct, Lazy<object>>
        {
            [PipelineProduct.TrainedModel] = Artifact.Load(() => ModelFile.Load(directory)),
        },
        _ => [],
    };

    /// <summary>Files a stage keeps for resuming besides its output directory; the runner's outputs digest covers them too.</summary>
    public static IEnumerable<string> StateFiles(PipelineStage stage, string directory) => stage.Kind == "ld-prune" ? [SelectionPath(directory)] : [];

    /// <summary>LD pruning's kept selection, beside (not in) its output directory, so prune.in / prune.out stay what the command writes.</summary>
    /// <summary>
    /// With <c>warm-start: true</c>, the model this pca stage published in an earlier run (e.g. on the previous release,
    /// when <c>genoflow watch</c> seeded the run directory from the previous release's): the refit starts from it.
    /// </summary>
    private static Projection.Model? PreviousModel(PipelineStage stage, string outputDirectory) =>
        stage.Bool("warm-start") == true && stage.Choice("method") != "exact" && File.Exists(Path.Join(outputDirectory, PcaOutput.LoadingsFile))
            ? Projection.Model.Load(outputDirectory)
            : null;

    /// <summary>With <c>warm-start: true</c>, the model this train stage published in an earlier run, to start the fit from.</summary>
    private static ModelFile? PreviousTrainedModel(PipelineStage stage, string outputDirectory) =>
        stage.Bool("warm-start") == true && stage.Choice("aggregate") != "exact" && File.Exists(Path.Join(outputDirectory, TrainingOutput.ModelFileName))
            ? ModelFile.Load(outputDirectory)
            : null;

    private static string SelectionPath(string directory) => Path.Join(Path.GetDirectoryName(directory), ".state", Path.GetFileName(directory) + ".selection");

    private static (PipelineProduct, object) Entry(PipelineProduct product, object value) => (product, value);

    private static Dictionary<PipelineProduct, Lazy<object>> Products(params (PipelineProduct Product, object Value)[] entries) =>
        entries.ToDictionary(e => e.Product, e => Artifact.Ready(e.Value));
}
