using System.Text.RegularExpressions;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// Reads and validates a <c>PIPELINE.yaml</c> (its keys: <see cref="PipelineSchema"/>) before anything runs. The first
/// problem found is thrown as a <see cref="GenoFlowFormatException"/> naming the file, line and column and what was
/// expected. Checks run in this order: YAML syntax and duplicate keys; the top-level keys; each input and stage on its
/// own, in file order (keys, types, choices, required and exclusive keys, files on disk, unique names); then the
/// references between them (names exist, no cycle, right kinds, same dataset).
/// </summary>
public static partial class PipelineFile
{
    private static readonly string[] TopLevelKeys = ["version", "inputs", "stages"];

    public static PipelineDefinition Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new GenoFlowFormatException(path, $"no such pipeline file (looked for {full})");
        }
        return Parse(File.ReadAllText(full), path, Path.GetDirectoryName(full)!);
    }

    /// <param name="fileName">How messages name the file.</param>
    /// <param name="baseDirectory">What relative paths in the file are relative to (the file's directory).</param>
    public static PipelineDefinition Parse(string text, string fileName, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        baseDirectory = Path.GetFullPath(baseDirectory);
        var errors = new PipelineErrors(fileName);
        YamlNode? root = YamlTreeReader.Read(text, fileName);
        if (root is null or YamlScalar { IsNull: true })
        {
            throw errors.At(new SourceMark(1, 1), "the pipeline file is empty; expected a mapping with version, inputs and stages");
        }
        if (root is not YamlMapping top)
        {
            throw errors.At(root.Mark, $"a pipeline file must be a mapping with version, inputs and stages; found {root.Describe()}");
        }
        // Unknown keys first: "stage:" should be answered with "did you mean 'stages'", not with "stages is missing".
        foreach ((YamlScalar key, _) in top.Entries)
        {
            if (!TopLevelKeys.Contains(key.Value))
            {
                throw errors.At(key.Mark, $"unknown top-level key '{key.Value}'{PipelineErrors.DidYouMean(key.Value, TopLevelKeys)}; a pipeline file has {string.Join(", ", TopLevelKeys)}");
            }
        }
        foreach (string key in TopLevelKeys)
        {
            if (!top.Entries.Any(e => e.Key.Value == key))
            {
                throw errors.At(top.Mark, $"the pipeline file needs {key}{(key == "version" ? ": 1" : "")} at the top level, beside {string.Join(" and ", TopLevelKeys.Where(k => k != key))}");
            }
        }
        var values = new ValueReader(errors, baseDirectory);
        var parameters = new ParameterReader(errors, values);
        var inputReader = new InputReader(errors, values, parameters);
        var stageReader = new StageReader(errors, parameters);
        var names = new Dictionary<string, (string Name, string Where)>(StringComparer.OrdinalIgnoreCase);
        var inputs = new List<PipelineInput>();
        var stages = new List<PipelineStage>();
        foreach ((YamlScalar key, YamlNode node) in top.Entries)
        {
            switch (key.Value)
            {
                case "version":
                    CheckVersion(errors, node);
                    break;
                case "inputs":
                    foreach ((YamlScalar name, YamlNode entry) in Section(errors, key.Value, node, "input"))
                    {
                        CheckName(errors, names, name, "input");
                        inputs.Add(inputReader.Read(name, entry));
                    }
                    break;
                case "stages":
                    foreach ((YamlScalar name, YamlNode entry) in Section(errors, key.Value, node, "stage"))
                    {
                        CheckName(errors, names, name, "stage");
                        stages.Add(stageReader.Read(name, entry));
                    }
                    break;
                default:
                    throw new UnreachableException();
            }
        }
        List<PipelineStage> ordered = ReferenceResolver.Resolve(errors, inputs, stages);
        return new PipelineDefinition(fileName, baseDirectory, PipelineSchema.Version, inputs, ordered);
    }

    private static void CheckVersion(PipelineErrors errors, YamlNode node)
    {
        if (node is not YamlScalar { Plain: true, Value: "1" })
        {
            throw errors.At(node.Mark, $"version must be {PipelineSchema.Version}, the only pipeline file version this GenoFlow reads; found {node.Describe()}");
        }
    }

    private static IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Section(PipelineErrors errors, string section, YamlNode node, string what)
    {
        if (node is not YamlMapping mapping)
        {
            throw errors.At(node.Mark, $"{section} must be a mapping from {what} names to {what}s; found {node.Describe()}");
        }
        if (mapping.Entries.Count == 0)
        {
            throw errors.At(node.Mark, $"{section} must name at least one {what}");
        }
        return mapping.Entries;
    }

    /// <summary>
    /// Inputs and stages share one namespace, so a reference names exactly one of them. Names that differ only in case
    /// are refused too: the runner names output directories after stages, and macOS and Windows would merge them.
    /// </summary>
    private static void CheckName(PipelineErrors errors, Dictionary<string, (string Name, string Where)> names, YamlScalar name, string what)
    {
        if (!NamePattern().IsMatch(name.Value))
        {
            throw errors.At(name.Mark, $"{what} name '{name.Value}' must be 1 to 64 letters, digits, '-' or '_'");
        }
        if (names.TryGetValue(name.Value, out (string Name, string Where) first))
        {
            throw errors.At(name.Mark, first.Name == name.Value
                ? $"name '{name.Value}' is already used by {first.Where}; inputs and stages need distinct names"
                : $"name '{name.Value}' differs only in case from '{first.Name}', {first.Where}; inputs and stages need names that differ in more than case");
        }
        names.Add(name.Value, (name.Value, $"the {what} at {name.Mark}"));
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
