namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// Reads a mapping of parameters (a stage's, or a simulate input's settings) against a schema: in file order, each key
/// must be known and its value of the right type, and of an exclusive pair only one may be given; then every required
/// key must be there. Unknown keys come first so a misspelt required key gets its "did you mean".
/// </summary>
internal sealed class ParameterReader(PipelineErrors errors, ValueReader values)
{
    /// <param name="owner">How messages name the owner, e.g. "qc stage 'qc'".</param>
    /// <param name="ownerMark">Where a missing key is reported: the owner's name.</param>
    /// <param name="handled">Keys the caller reads itself (a stage's kind): skipped here, but listed as allowed.</param>
    public List<PipelineValue> Read(YamlMapping mapping, StageSchema schema, string owner, SourceMark ownerMark, IReadOnlyList<string> handled)
    {
        var result = new List<PipelineValue>();
        foreach ((YamlScalar key, YamlNode node) in mapping.Entries)
        {
            if (handled.Contains(key.Value))
            {
                continue;
            }
            ParameterSpec spec = schema.Find(key.Value) ?? throw UnknownKey(key, owner, [.. handled, .. schema.Keys]);
            foreach (ExclusivePair pair in schema.Exclusive)
            {
                string? other = key.Value == pair.Second ? pair.First : key.Value == pair.First ? pair.Second : null;
                if (other is not null && result.Find(v => v.Key == other) is { } given)
                {
                    throw errors.At(key.Mark, $"give {pair.First} or {pair.Second}, not both ({other} is given at {given.KeyMark})");
                }
            }
            result.Add(values.Read(spec, key, node));
        }
        foreach (ParameterSpec spec in schema.Parameters)
        {
            if (spec.Required && !result.Exists(v => v.Key == spec.Key))
            {
                throw errors.At(ownerMark, $"{owner} needs {spec.Key} ({spec.Expected})");
            }
        }
        foreach (ExclusivePair pair in schema.Exclusive)
        {
            if (pair.OneRequired && !result.Exists(v => v.Key == pair.First || v.Key == pair.Second))
            {
                throw errors.At(ownerMark, $"{owner} needs {pair.First} or {pair.Second}");
            }
        }
        return result;
    }

    private Core.GenoFlowFormatException UnknownKey(YamlScalar key, string owner, IReadOnlyList<string> allowed) =>
        errors.At(key.Mark, $"unknown key '{key.Value}' for {owner}{PipelineErrors.DidYouMean(key.Value, allowed)}; allowed keys: {string.Join(", ", allowed)}");
}
