namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// What an input or a finished stage gives the stages after it: its digest (what their inputs digest is built from),
/// its output directory, and its products as objects. A stage computed in this run hands over the objects it returned;
/// a stage found up to date loads them from its output directory only if a later stage actually needs them.
/// </summary>
public sealed class Artifact(string name, string digest, string directory, IReadOnlyDictionary<PipelineProduct, Lazy<object>> products, string? release = null)
{
    public string Name { get; } = name;

    public string Digest { get; } = digest;

    /// <summary>Where the step's files are (a stage's output directory; an input's dataset or table).</summary>
    public string Directory { get; } = directory;

    /// <summary>The release label when the artifact is a dataset.</summary>
    public string? Release { get; } = release;

    public T Get<T>(PipelineProduct product) => products.TryGetValue(product, out Lazy<object>? value)
        ? (T)value.Value
        : throw new InvalidOperationException($"'{Name}' gives no {product}");

    public static Lazy<object> Ready(object value) => new(value);

    public static Lazy<object> Load(Func<object> load) => new(load, LazyThreadSafetyMode.ExecutionAndPublication);
}
