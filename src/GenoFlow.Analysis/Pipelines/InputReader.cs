namespace GenoFlow.Analysis.Pipelines;

/// <summary>Reads one entry of <c>inputs:</c>: exactly one source, the keys that source allows, files that exist.</summary>
internal sealed class InputReader(PipelineErrors errors, ValueReader values, ParameterReader parameters)
{
    private static readonly string Sources = string.Join(", ", PipelineSchema.InputSources);

    public PipelineInput Read(YamlScalar name, YamlNode node)
    {
        if (node is not YamlMapping mapping)
        {
            throw errors.At(node.Mark, $"input '{name.Value}' must be a mapping with one source ({Sources}); found {node.Describe()}");
        }
        // The source decides which other keys are allowed, so find it before reading them.
        KeyValuePair<YamlScalar, YamlNode> first = mapping.Entries.FirstOrDefault(e => PipelineSchema.FindSource(e.Key.Value) is not null);
        StageSchema? schema = first.Key is null ? null : PipelineSchema.FindSource(first.Key.Value);
        SourceMark firstMark = first.Key?.Mark ?? default;
        var result = new List<PipelineValue>();
        foreach ((YamlScalar key, YamlNode value) in mapping.Entries)
        {
            if (PipelineSchema.FindSource(key.Value) is { } source)
            {
                if (source != schema)
                {
                    throw errors.At(key.Mark, $"input '{name.Value}' has two sources, {schema!.Kind} (at {firstMark}) and {source.Kind}; give exactly one of {Sources}");
                }
                result.AddRange(source.Kind == "simulate" ? ReadSimulation(name, key, value) : [values.Read(source.Parameters[0], key, value)]);
                continue;
            }
            ParameterSpec option = PipelineSchema.ImportOptions.FirstOrDefault(o => o.Key == key.Value) ?? throw UnknownKey(name, key);
            if (schema is null)
            {
                continue; // the missing source is the error, reported below
            }
            if (schema.Find(key.Value) is null)
            {
                throw errors.At(key.Mark, $"{key.Value} applies to bed and vcf inputs only; '{name.Value}' is a {schema.Kind} input");
            }
            result.Add(values.Read(option, key, value));
        }
        if (schema is null)
        {
            throw errors.At(name.Mark, $"input '{name.Value}' needs a source: one of {Sources}");
        }
        IReadOnlyList<ParameterSpec> accessible = schema.Kind == "simulate" ? PipelineSchema.Simulation.Parameters : schema.Parameters;
        return new PipelineInput(errors.File, name.Value, name.Mark, schema.Kind, schema.Provides, accessible, result);
    }

    private List<PipelineValue> ReadSimulation(YamlScalar name, YamlScalar key, YamlNode value)
    {
        if (value is not YamlMapping settings)
        {
            throw errors.At(value.Mark, $"simulate must be a mapping of simulation settings, e.g. {{ samples: 2000, variants: 20000 }}; found {value.Describe()}");
        }
        return parameters.Read(settings, PipelineSchema.Simulation, $"simulate input '{name.Value}'", key.Mark, []);
    }

    private Core.GenoFlowFormatException UnknownKey(YamlScalar name, YamlScalar key)
    {
        IEnumerable<string> known = PipelineSchema.InputSources.Concat(PipelineSchema.ImportOptions.Select(o => o.Key));
        return errors.At(key.Mark, $"unknown key '{key.Value}' for input '{name.Value}'{PipelineErrors.DidYouMean(key.Value, known)}; "
            + $"an input has one source ({Sources}) and, for bed and vcf, {string.Join(", ", PipelineSchema.ImportOptions.Select(o => o.Key))}");
    }
}
