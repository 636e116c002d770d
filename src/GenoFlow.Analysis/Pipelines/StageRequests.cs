using GenoFlow.Analysis.KMeans;
using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Training;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// A pipeline stage's parameters as its library request: the same records the command line builds from its flags, with
/// the same defaults (the records' own), and upstream results taken as objects from the artifacts they name.
/// </summary>
internal static class StageRequests
{
    /// <summary>
    /// Checks every parameter value of <paramref name="stage"/> the way its stage will, so that a value out of range is
    /// refused (at its line and column) before any stage of the pipeline runs.
    /// </summary>
    public static void Validate(PipelineStage stage)
    {
        switch (stage.Kind)
        {
            case "qc":
                QcThresholdsOf(stage).Validate();
                break;
            case "ld-prune":
                LdSettings(stage).Validate();
                break;
            case "pca":
                PcaSettingsOf(stage).Validate();
                break;
            case "kmeans":
                Array.ForEach(KMeansSettingsOf(stage), s => s.Validate());
                RowsPerShard(stage);
                break;
            case "train":
                TrainingSettingsOf(stage).Validate();
                RowsPerShard(stage);
                TestSplit.CheckFraction(stage.Number("test-fraction") ?? TestSplit.DefaultFraction);
                break;
            case "predict":
                RowsPerShard(stage);
                break;
        }
    }

    public static QcStage.Request Qc(PipelineStage stage, ArtifactLookup artifacts) =>
        new(artifacts.Dataset(stage, "dataset"), QcThresholdsOf(stage), stage.Choice("format") == "parquet" ? QcFormat.Parquet : QcFormat.Tsv);

    public static LdPruneStage.Request LdPrune(PipelineStage stage, ArtifactLookup artifacts) =>
        new(artifacts.Dataset(stage, "dataset"), LdSettings(stage), artifacts.Kept(stage));

    public static PcaStage.Request Pca(PipelineStage stage, ArtifactLookup artifacts)
    {
        string? keep = artifacts.DirectoryOf(stage, "keep");
        string? extract = artifacts.DirectoryOf(stage, "variants") is { } ld ? Path.Join(ld, LdPruneOutput.InFileName) : null;
        return new(artifacts.Dataset(stage, "dataset"), PcaSettingsOf(stage), artifacts.Selection(stage), keep, extract);
    }

    /// <summary>The model's own scores come with it, so the projection reports the new samples' drift.</summary>
    public static ProjectStage.Request Project(PipelineStage stage, ArtifactLookup artifacts) =>
        new(artifacts.Dataset(stage, "dataset"), artifacts.Product<Projection.Model>(stage, "model", PipelineProduct.PcaModel),
            artifacts.Product<Tables.SampleTable>(stage, "model", PipelineProduct.Scores));

    public static KMeansStage.Request KMeans(PipelineStage stage, ArtifactLookup artifacts)
    {
        PipelineReference scores = stage.Reference("scores")!;
        return new(artifacts.Product<Tables.SampleTable>(stage, "scores", scores.Provides), stage.List("columns"), KMeansSettingsOf(stage),
            stage.Integer("rows-per-shard") ?? KMeansSettings.DefaultRowsPerShard, FeatureTables(stage));
    }

    public static TrainStage.Request Train(PipelineStage stage, ArtifactLookup artifacts)
    {
        TrainingSettings settings = TrainingSettingsOf(stage);
        TestSplit split = TestSplit.Of(stage.Path("test-samples"), stage.Number("test-fraction"), settings.Seed, stage.Bool("stratify") ?? false);
        return new(artifacts.Dataset(stage, "dataset"), artifacts.Product<Tables.SampleTable>(stage, "phenotypes", PipelineProduct.SampleTable), stage.Text("target")!,
            stage.List("covariates") ?? [], artifacts.Optional<Tables.SampleTable>(stage, "pcs", PipelineProduct.Scores), artifacts.DirectoryOf(stage, "pcs"),
            settings, split, artifacts.Selection(stage), stage.Integer("rows-per-shard") ?? TrainingData.DefaultRowsPerShard)
        {
            Features = FeatureTables(stage),
            WarmStarts = stage.Bool("warm-start") == true,
        };
    }

    public static PredictStage.Request Predict(PipelineStage stage, ArtifactLookup artifacts) => new(
        artifacts.Dataset(stage, "dataset"),
        artifacts.Product<ModelFile>(stage, "model", PipelineProduct.TrainedModel),
        artifacts.Optional<Tables.SampleTable>(stage, "phenotypes", PipelineProduct.SampleTable),
        artifacts.Optional<Tables.SampleTable>(stage, "pcs", PipelineProduct.Scores),
        stage.Integer("rows-per-shard") ?? TrainingData.DefaultRowsPerShard,
        [.. FeatureTables(stage).Select(f => f.Table)]);

    /// <summary>The stage's <c>features</c> tables, read as <c>--features</c> reads them.</summary>
    private static FeatureTable[] FeatureTables(PipelineStage stage) => [.. (stage.Paths("features") ?? []).Select(FeatureTable.Parse)];

    private static QcThresholds QcThresholdsOf(PipelineStage stage) =>
        new(stage.Number("maf"), stage.Number("max-missing"), stage.Number("hwe"), stage.Number("sample-max-missing"));

    private static LdPruneSettings LdSettings(PipelineStage stage) =>
        LdPruneSettings.Of(stage.Integer("window-variants"), stage.Integer("window-kb"), stage.Integer("step"), stage.Number("r2"));

    private static PcaSettings PcaSettingsOf(PipelineStage stage)
    {
        var defaults = new PcaSettings(1);
        return new PcaSettings(stage.Integer("k")!.Value, stage.Choice("method") == "exact" ? PcaMethod.Exact : PcaMethod.Randomized, stage.UnsignedInteger("seed") ?? defaults.Seed,
            stage.Integer("oversampling") ?? defaults.Oversampling, stage.Number("tolerance") ?? defaults.Tolerance, stage.Integer("max-iterations") ?? defaults.MaxIterations);
    }

    private static KMeansSettings[] KMeansSettingsOf(PipelineStage stage)
    {
        int[] ks = stage.Range("k-range") is var (first, last) ? [.. Enumerable.Range(first, Math.Max(0, last - first + 1))] : [stage.Integer("k")!.Value];
        var defaults = new KMeansSettings(1);
        KMeansInit init = KMeansSettings.InitNamed(stage.Choice("init"));
        return [.. ks.Select(k => new KMeansSettings(k, stage.Integer("batch-size") ?? defaults.BatchSize, stage.Integer("max-steps"),
            stage.Number("tolerance") ?? defaults.Tolerance, stage.Integer("max-no-improvement") ?? defaults.MaxNoImprovement, init, stage.Integer("restarts") ?? defaults.Restarts,
            stage.UnsignedInteger("seed") ?? defaults.Seed, stage.Bool("standardize") ?? false, LloydPasses: stage.Integer("lloyd-passes") ?? defaults.LloydPasses))];
    }

    private static TrainingSettings TrainingSettingsOf(PipelineStage stage) => TrainingSettings.Of(
        stage.Choice("model") == "logistic" ? TrainingModel.Logistic : TrainingModel.Linear, TrainingSettings.AggregationNamed(stage.Choice("aggregate")),
        stage.Number("l1"), stage.Number("l2"), stage.Integer("rounds"), stage.Integer("local-epochs"), stage.Number("tolerance"), stage.UnsignedInteger("seed"),
        stage.Integer("folds"), stage.Text("class-weight"), stage.Integer("select-top"), stage.Choice("cv"), stage.Choice("search"), stage.Choice("cv-score"));

    private static void RowsPerShard(PipelineStage stage)
    {
        if (stage.Integer("rows-per-shard") is { } rows)
        {
            StageParameterException.ThrowIfBelowOne("rows-per-shard", rows);
        }
    }
}

/// <summary>The artifacts of the inputs and stages run so far, looked up through a stage's reference parameters.</summary>
internal sealed class ArtifactLookup(IReadOnlyDictionary<string, Artifact> artifacts)
{
    public Artifact? Of(PipelineStage stage, string key) => stage.Reference(key) is { } reference ? artifacts[reference.Target] : null;

    public T Product<T>(PipelineStage stage, string key, PipelineProduct product) =>
        (Of(stage, key) ?? throw new InvalidOperationException($"{stage.Description} has no '{key}'")).Get<T>(product);

    public T? Optional<T>(PipelineStage stage, string key, PipelineProduct product) where T : class => Of(stage, key)?.Get<T>(product);

    public Dataset Dataset(PipelineStage stage, string key) => Product<Dataset>(stage, key, PipelineProduct.Dataset);

    public string? DirectoryOf(PipelineStage stage, string key) => Of(stage, key)?.Directory;

    /// <summary>The samples and variants a stage's <c>keep</c> (a qc stage) leaves.</summary>
    public DatasetSelection Kept(PipelineStage stage) => Optional<DatasetSelection>(stage, "keep", PipelineProduct.QcSelection) ?? DatasetSelection.All;

    /// <summary>The samples and variants a stage's <c>keep</c> (a qc stage) and <c>variants</c> (an ld-prune stage) leave.</summary>
    public DatasetSelection Selection(PipelineStage stage)
    {
        DatasetSelection selection = Kept(stage);
        return Optional<DatasetSelection>(stage, "variants", PipelineProduct.VariantSelection) is { Variants: { } kept } ? selection.AndVariants(kept) : selection;
    }
}
