namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// The pipeline file as a small tree of marked nodes. YamlDotNet's representation model would do, but it turns a
/// duplicate key into a generic syntax error and hides whether a scalar was quoted, both of which our messages need.
/// </summary>
internal abstract record YamlNode(SourceMark Mark)
{
    /// <summary>How the node reads in a "found ..." clause of an error message.</summary>
    public abstract string Describe();
}

/// <summary>A scalar. <paramref name="Plain"/> is false when it was quoted or tagged, which makes it a string.</summary>
internal sealed record YamlScalar(SourceMark Mark, string Value, bool Plain) : YamlNode(Mark)
{
    /// <summary>YAML 1.2 core schema nulls: an empty value, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe()
    {
        if (IsNull)
        {
            return "nothing";
        }
        string shown = Value.Length > 40 ? Value[..37] + "..." : Value;
        return Plain ? $"'{shown}'" : $"the quoted string '{shown}'";
    }
}

internal sealed record YamlSequence(SourceMark Mark, IReadOnlyList<YamlNode> Items) : YamlNode(Mark)
{
    public override string Describe() => "a list";
}

internal sealed record YamlMapping(SourceMark Mark, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries) : YamlNode(Mark)
{
    public override string Describe() => "a mapping";
}
