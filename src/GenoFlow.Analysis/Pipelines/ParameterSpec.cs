namespace GenoFlow.Analysis.Pipelines;

/// <summary>How a path parameter must exist on disk before anything runs.</summary>
internal enum PathCheck
{
    None,
    File,
    /// <summary>A directory holding a dataset's manifest.json.</summary>
    Dataset,
    /// <summary>A PLINK 1 prefix: PREFIX.bed, PREFIX.bim and PREFIX.fam.</summary>
    BedPrefix,
    /// <summary>A feature table, <c>TABLE</c> or <c>TABLE:COL,...</c> as <c>--features</c> takes it: TABLE must exist.</summary>
    FeatureTable,
}

/// <summary>
/// One parameter a stage kind or input source accepts. A reference lists the products it accepts
/// (<paramref name="Accepts"/>) and says so in words (<paramref name="Expects"/>, e.g. "a qc stage");
/// <paramref name="SameDataset"/> asks that the referenced stage ran on this stage's own dataset.
/// </summary>
internal sealed record ParameterSpec(
    string Key,
    PipelineValueType Type,
    bool Required = false,
    IReadOnlyList<string>? Options = null,
    IReadOnlyList<PipelineProduct>? Accepts = null,
    string? Expects = null,
    bool SameDataset = false,
    PathCheck Check = PathCheck.None)
{
    /// <summary>What a value must be, as the "must be ..." part of a message.</summary>
    public string Expected => Type switch
    {
        PipelineValueType.Number => "a number",
        PipelineValueType.Integer => "an integer",
        PipelineValueType.UnsignedInteger => "a non-negative integer",
        PipelineValueType.Bool => "true or false",
        PipelineValueType.Text => "a string",
        PipelineValueType.Choice => "one of " + string.Join(", ", Options!),
        PipelineValueType.TextList => "a list of strings, e.g. [a, b]",
        PipelineValueType.Reference => "the name of " + Expects,
        PipelineValueType.Path => "a path",
        PipelineValueType.PathList => "a path or a list of paths",
        PipelineValueType.Range => "a range A..B, e.g. \"2..6\"",
        _ => throw new UnreachableException(),
    };
}

/// <summary>Two keys of which at most one may be given; with <paramref name="OneRequired"/>, exactly one.</summary>
internal sealed record ExclusivePair(string First, string Second, bool OneRequired = false);
