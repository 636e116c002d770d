namespace GenoFlow.Analysis.Pipelines;

/// <summary>The parameters one stage kind (or one input source) accepts, what it gives to others, and its exclusive pairs.</summary>
internal sealed record StageSchema(string Kind, IReadOnlyList<ParameterSpec> Parameters, IReadOnlyList<PipelineProduct> Provides, IReadOnlyList<ExclusivePair> Exclusive)
{
    public ParameterSpec? Find(string key) => Parameters.FirstOrDefault(p => p.Key == key);

    public IEnumerable<string> Keys => Parameters.Select(p => p.Key);
}
