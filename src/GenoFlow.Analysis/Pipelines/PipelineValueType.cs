namespace GenoFlow.Analysis.Pipelines;

/// <summary>The type a parameter of a pipeline file has, and so which accessor of <see cref="PipelineEntry"/> reads it.</summary>
public enum PipelineValueType
{
    /// <summary>A finite number (YAML forms such as 1e-10 too): a <see cref="double"/>.</summary>
    Number,
    /// <summary>An integral number in Int32 range: an <see cref="int"/>.</summary>
    Integer,
    /// <summary>A non-negative integral number in UInt64 range (seeds): a <see cref="ulong"/>.</summary>
    UnsignedInteger,
    /// <summary>true or false.</summary>
    Bool,
    /// <summary>Any scalar, taken as written.</summary>
    Text,
    /// <summary>One of a fixed set of words.</summary>
    Choice,
    /// <summary>A list of strings.</summary>
    TextList,
    /// <summary>The name of an input or a stage: a <see cref="PipelineReference"/>.</summary>
    Reference,
    /// <summary>A path, resolved against the pipeline file's directory to a full path.</summary>
    Path,
    /// <summary>A path or a list of paths, each resolved to a full path.</summary>
    PathList,
    /// <summary>"A..B" with two non-negative integers: an <c>(int First, int Last)</c> pair.</summary>
    Range,
}
