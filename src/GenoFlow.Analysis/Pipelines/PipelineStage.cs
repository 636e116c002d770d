namespace GenoFlow.Analysis.Pipelines;

/// <summary>A named stage: its kind, its parameters and the inputs and stages it uses.</summary>
public sealed class PipelineStage : PipelineEntry
{
    internal PipelineStage(string file, string name, SourceMark mark, string kind, SourceMark kindMark, StageSchema schema, List<PipelineValue> values)
        : base(file, name, mark, schema.Parameters, values)
    {
        Kind = kind;
        KindMark = kindMark;
        Provides = schema.Provides;
    }

    /// <summary>qc, ld-prune, pca, project, kmeans, train or predict.</summary>
    public string Kind { get; }

    /// <summary>Where the kind's value is written.</summary>
    public SourceMark KindMark { get; }

    public IReadOnlyList<PipelineProduct> Provides { get; }

    /// <summary>Every reference parameter given, in file order.</summary>
    public IReadOnlyList<PipelineReference> References => Values.Select(v => v.Value).OfType<PipelineReference>().ToArray();

    /// <summary>The stages this one uses (directly), each once, in file order: they run before it.</summary>
    public IReadOnlyList<string> DependsOn => References.Where(r => !r.TargetIsInput).Select(r => r.Target).Distinct().ToArray();

    /// <summary>The input this stage reads genotypes from, if its kind has a <c>dataset</c>.</summary>
    public string? Dataset => Values.FirstOrDefault(v => v.Key == "dataset")?.Value is PipelineReference r ? r.Target : null;

    public override string Description => $"{Kind} stage '{Name}'";
}
