namespace GenoFlow.Analysis.Pipelines;

/// <summary>Reads one entry of <c>stages:</c>: its kind first, since the kind decides which keys are allowed.</summary>
internal sealed class StageReader(PipelineErrors errors, ParameterReader parameters)
{
    private static readonly string Kinds = string.Join(", ", PipelineSchema.StageKinds);

    public PipelineStage Read(YamlScalar name, YamlNode node)
    {
        if (node is not YamlMapping mapping)
        {
            throw errors.At(node.Mark, $"stage '{name.Value}' must be a mapping with a kind and its parameters; found {node.Describe()}");
        }
        KeyValuePair<YamlScalar, YamlNode> kind = mapping.Entries.FirstOrDefault(e => e.Key.Value == "kind");
        if (kind.Key is null)
        {
            throw errors.At(name.Mark, $"stage '{name.Value}' needs a kind: one of {Kinds}");
        }
        if (kind.Value is not YamlScalar { IsNull: false } scalar)
        {
            throw errors.At(kind.Value.Mark, $"kind must be one of {Kinds}; found {kind.Value.Describe()}");
        }
        StageSchema schema = PipelineSchema.FindStage(scalar.Value)
            ?? throw errors.At(scalar.Mark, $"unknown stage kind {scalar.Describe()}{PipelineErrors.DidYouMean(scalar.Value, PipelineSchema.StageKinds)}; known kinds: {Kinds}");
        List<PipelineValue> values = parameters.Read(mapping, schema, $"{schema.Kind} stage '{name.Value}'", name.Mark, ["kind"]);
        return new PipelineStage(errors.File, name.Value, name.Mark, schema.Kind, scalar.Mark, schema, values);
    }
}
