using GenoFlow.Core;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// What inputs and stages share: a name, where it is in the file, its parameters, and typed accessors for them.
/// An accessor returns null when the file leaves the parameter out (the stage applies its default); asking for a key
/// this kind does not have, or with the wrong accessor, is a bug in the caller and throws <see cref="ArgumentException"/>.
/// </summary>
public abstract class PipelineEntry
{
    private readonly IReadOnlyList<ParameterSpec> _parameters;
    private readonly List<PipelineValue> _values;

    private protected PipelineEntry(string file, string name, SourceMark mark, IReadOnlyList<ParameterSpec> parameters, List<PipelineValue> values)
    {
        File = file;
        Name = name;
        Mark = mark;
        _parameters = parameters;
        _values = values;
    }

    /// <summary>The pipeline file as named in messages.</summary>
    public string File { get; }

    public string Name { get; }

    /// <summary>Where the entry's name is written.</summary>
    public SourceMark Mark { get; }

    /// <summary>The parameters given, in file order.</summary>
    public IReadOnlyList<PipelineValue> Values => _values;

    /// <summary>"qc stage 'qc'", "bed input 'batch2'": how messages name this entry.</summary>
    public abstract string Description { get; }

    public bool Has(string key) => Value(key) is not null;

    public PipelineValue? Value(string key)
    {
        Spec(key);
        return _values.Find(v => v.Key == key);
    }

    /// <summary>A number; integer parameters read as numbers too.</summary>
    public double? Number(string key) => Get(key, PipelineValueType.Number, PipelineValueType.Integer, PipelineValueType.UnsignedInteger)?.Value switch
    {
        null => null,
        double d => d,
        int i => i,
        ulong u => u,
        _ => throw new UnreachableException(),
    };

    public int? Integer(string key) => (int?)Get(key, PipelineValueType.Integer)?.Value;

    public ulong? UnsignedInteger(string key) => (ulong?)Get(key, PipelineValueType.UnsignedInteger)?.Value;

    public bool? Bool(string key) => (bool?)Get(key, PipelineValueType.Bool)?.Value;

    /// <summary>A string as written; choices read as text too.</summary>
    public string? Text(string key) => (string?)Get(key, PipelineValueType.Text, PipelineValueType.Choice)?.Value;

    public string? Choice(string key) => (string?)Get(key, PipelineValueType.Choice)?.Value;

    public IReadOnlyList<string>? List(string key) => (IReadOnlyList<string>?)Get(key, PipelineValueType.TextList)?.Value;

    public PipelineReference? Reference(string key) => (PipelineReference?)Get(key, PipelineValueType.Reference)?.Value;

    /// <summary>A full path (resolved against the pipeline file's directory).</summary>
    public string? Path(string key) => (string?)Get(key, PipelineValueType.Path)?.Value;

    /// <summary>Full paths of a path-or-list parameter; a single path parameter reads as a one-item list.</summary>
    public IReadOnlyList<string>? Paths(string key) => Get(key, PipelineValueType.PathList, PipelineValueType.Path)?.Value switch
    {
        null => null,
        string one => [one],
        IReadOnlyList<string> many => many,
        _ => throw new UnreachableException(),
    };

    public (int First, int Last)? Range(string key) => ((int, int)?)Get(key, PipelineValueType.Range)?.Value;

    /// <summary>
    /// An error located at <paramref name="key"/>'s value (or at the entry's name when the key is absent), for problems
    /// found after parsing, e.g. <c>throw stage.Error("maf", "maf must be in [0, 0.5]; found 0.7")</c>.
    /// </summary>
    public GenoFlowFormatException Error(string key, string message)
    {
        SourceMark mark = Value(key)?.Mark ?? Mark;
        return new GenoFlowFormatException(File, message, mark.Line, mark.Column);
    }

    /// <summary>An error located at the entry's name.</summary>
    public GenoFlowFormatException Error(string message) => new(File, message, Mark.Line, Mark.Column);

    internal void Replace(PipelineValue value) => _values[_values.FindIndex(v => v.Key == value.Key)] = value;

    private ParameterSpec Spec(string key) =>
        _parameters.FirstOrDefault(p => p.Key == key) ?? throw new ArgumentException($"{Description} has no parameter '{key}'", nameof(key));

    private PipelineValue? Get(string key, params PipelineValueType[] types)
    {
        ParameterSpec spec = Spec(key);
        if (!types.Contains(spec.Type))
        {
            throw new ArgumentException($"{key} of {Description} is a {spec.Type}, not a {types[0]}", nameof(key));
        }
        return _values.Find(v => v.Key == key);
    }
}
