using static GenoFlow.Analysis.Pipelines.PipelineValueType;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// Every stage kind and input source a pipeline file may use, with their parameters. Keys are the CLI's option names
/// (without dashes), so a command line and a pipeline stage read the same; defaults belong to the stages, not here.
/// </summary>
public static class PipelineSchema
{
    public const int Version = 1;

    private static readonly PipelineProduct[] QcProducts = [PipelineProduct.QcSelection];

    private static ParameterSpec Dataset(bool required = true) =>
        new("dataset", Reference, Required: required, Accepts: [PipelineProduct.Dataset], Expects: "an input giving a dataset (dataset, bed, vcf or simulate)");

    private static ParameterSpec Keep() =>
        new("keep", Reference, Accepts: QcProducts, Expects: "a qc stage", SameDataset: true);

    private static ParameterSpec Variants() =>
        new("variants", Reference, Accepts: [PipelineProduct.VariantSelection], Expects: "an ld-prune stage", SameDataset: true);

    private static ParameterSpec Pcs() =>
        new("pcs", Reference, Accepts: [PipelineProduct.Scores], Expects: "a pca or project stage");

    private static ParameterSpec Phenotypes(bool required) =>
        new("phenotypes", Reference, Required: required, Accepts: [PipelineProduct.SampleTable], Expects: "a table or simulate input");

    private static ParameterSpec Features() => new("features", PathList, Check: PathCheck.FeatureTable);

    private static ParameterSpec Seed() => new("seed", UnsignedInteger);

    private static StageSchema Stage(string kind, PipelineProduct[] provides, ParameterSpec[] parameters, params ExclusivePair[] exclusive) =>
        new(kind, parameters, provides, exclusive);

    internal static readonly IReadOnlyList<StageSchema> Stages =
    [
        Stage("qc", QcProducts,
        [
            Dataset(), new("maf", Number), new("max-missing", Number), new("hwe", Number), new("sample-max-missing", Number),
            new("format", Choice, Options: ["tsv", "parquet"]),
        ]),
        Stage("ld-prune", [PipelineProduct.VariantSelection],
        [
            Dataset(), Keep(), new("window-variants", Integer), new("window-kb", Integer), new("step", Integer), new("r2", Number),
        ], new ExclusivePair("window-variants", "window-kb")),
        Stage("pca", [PipelineProduct.PcaModel, PipelineProduct.Scores],
        [
            Dataset(), Keep(), Variants(), new("k", Integer, Required: true), new("method", Choice, Options: ["randomized", "exact"]),
            Seed(), new("tolerance", Number), new("oversampling", Integer), new("max-iterations", Integer), new("warm-start", Bool),
        ]),
        Stage("project", [PipelineProduct.Scores],
        [
            new("model", Reference, Required: true, Accepts: [PipelineProduct.PcaModel], Expects: "a pca stage"), Dataset(),
        ]),
        Stage("kmeans", [PipelineProduct.Clusters],
        [
            new("scores", Reference, Required: true, Accepts: [PipelineProduct.Scores, PipelineProduct.SampleTable], Expects: "a pca or project stage, or a table input"),
            new("k", Integer), new("k-range", PipelineValueType.Range), new("columns", TextList), new("standardize", Bool), new("batch-size", Integer),
            new("max-steps", Integer), new("tolerance", Number), new("max-no-improvement", Integer), new("lloyd-passes", Integer),
            new("init", Choice, Options: ["kmeans-parallel", "kmeans++", "random"]), new("restarts", Integer), Seed(), new("rows-per-shard", Integer),
            Features(),
        ], new ExclusivePair("k", "k-range", OneRequired: true)),
        Stage("train", [PipelineProduct.TrainedModel],
        [
            Dataset(), Phenotypes(required: true), new("target", Text, Required: true), new("model", Choice, Required: true, Options: ["linear", "logistic"]),
            new("covariates", TextList), Pcs(), Keep(), Variants(), new("l1", Number), new("l2", Number), new("test-fraction", Number),
            new("test-samples", PipelineValueType.Path, Check: PathCheck.File), new("rounds", Integer), new("local-epochs", Integer),
            new("aggregate", Choice, Options: ["auto", "average", "exact"]), Seed(), new("tolerance", Number), new("rows-per-shard", Integer), new("folds", Integer),
            new("cv", Choice, Options: ["kfold", "gcv", "loo"]), new("search", Choice, Options: ["l2", "both"]),
            new("cv-score", Choice, Options: ["loss", "auc"]), new("class-weight", Text), new("stratify", Bool), new("select-top", Integer), new("warm-start", Bool), Features(),
        ], new ExclusivePair("test-fraction", "test-samples")),
        Stage("predict", [PipelineProduct.Predictions],
        [
            new("model", Reference, Required: true, Accepts: [PipelineProduct.TrainedModel], Expects: "a train stage"), Dataset(),
            Phenotypes(required: false), Pcs(), new("rows-per-shard", Integer), Features(),
        ]),
    ];

    /// <summary>Keys a bed or vcf input takes besides its source: the import's tiling and release label.</summary>
    internal static readonly IReadOnlyList<ParameterSpec> ImportOptions =
        [new("variants-per-tile", Integer), new("samples-per-tile", Integer), new("release", Text)];

    /// <summary>Input sources; each schema's first parameter is the source key itself.</summary>
    internal static readonly IReadOnlyList<StageSchema> Sources =
    [
        Stage("dataset", [PipelineProduct.Dataset], [new("dataset", PipelineValueType.Path, Required: true, Check: PathCheck.Dataset)]),
        Stage("bed", [PipelineProduct.Dataset], [new("bed", PipelineValueType.Path, Required: true, Check: PathCheck.BedPrefix), .. ImportOptions]),
        Stage("vcf", [PipelineProduct.Dataset], [new("vcf", PathList, Required: true, Check: PathCheck.File), .. ImportOptions]),
        Stage("simulate", [PipelineProduct.Dataset, PipelineProduct.SampleTable], [new("simulate", Text, Required: true)]),
        Stage("table", [PipelineProduct.SampleTable], [new("table", PipelineValueType.Path, Required: true, Check: PathCheck.File)]),
    ];

    /// <summary>The keys inside <c>simulate:</c>, as the simulate command's options.</summary>
    internal static readonly StageSchema Simulation = Stage("simulate", [],
    [
        new("samples", Integer, Required: true), new("variants", Integer, Required: true), new("populations", Integer), Seed(),
        new("fst", Number), new("missing-rate", Number), new("chromosomes", Integer), new("causal-variants", Integer),
        new("heritability", Number), new("prevalence", Number), new("batch", Integer), new("causal-block", Integer),
        new("model", Choice, Options: ["independent", "mosaic"]), new("pool-haplotypes", Integer), new("recombination-rate", Number), new("ne", Number),
        new("variant-spacing", Integer), new("maf-min", Number), new("admixed", Number), new("admixture-generations", Integer),
        new("first-degree-pairs", Integer), new("second-degree-pairs", Integer), new("order", Choice, Options: ["contiguous", "shuffled"]),
        new("hotspot-spacing-kb", Number), new("hotspot-share", Number),
    ]);

    public static IReadOnlyList<string> StageKinds { get; } = Stages.Select(s => s.Kind).ToArray();

    public static IReadOnlyList<string> InputSources { get; } = Sources.Select(s => s.Kind).ToArray();

    internal static StageSchema? FindStage(string kind) => Stages.FirstOrDefault(s => s.Kind == kind);

    internal static StageSchema? FindSource(string source) => Sources.FirstOrDefault(s => s.Kind == source);
}
