using System.Globalization;
using System.Text.RegularExpressions;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// Turns one YAML value into a typed <see cref="PipelineValue"/> by its <see cref="ParameterSpec"/>, or throws an error
/// located at the value that says what was expected. Numbers follow the YAML 1.2 core schema (1e-10, .5, -3), but only
/// plain scalars: a quoted "10" is a string, as YAML means it. Paths are resolved and, where the spec asks, must exist.
/// </summary>
internal sealed partial class ValueReader(PipelineErrors errors, string baseDirectory)
{
    public PipelineValue Read(ParameterSpec spec, YamlScalar key, YamlNode node)
    {
        if (node is YamlScalar { IsNull: true })
        {
            throw Wrong(spec, node);
        }
        object value = spec.Type switch
        {
            PipelineValueType.Number => ReadNumber(spec, node),
            PipelineValueType.Integer => ReadInteger(spec, node),
            PipelineValueType.UnsignedInteger => ReadUnsigned(spec, node),
            PipelineValueType.Bool => ReadBool(spec, node),
            PipelineValueType.Text or PipelineValueType.Reference => Scalar(spec, node).Value,
            PipelineValueType.Choice => ReadChoice(spec, node),
            PipelineValueType.TextList => Items(spec, node, allowScalar: false).Select(s => s.Value).ToArray(),
            PipelineValueType.Path => ResolvePath(spec, Scalar(spec, node)),
            PipelineValueType.PathList => Items(spec, node, allowScalar: true).Select(s => ResolvePath(spec, s)).ToArray(),
            PipelineValueType.Range => ReadRange(spec, node),
            _ => throw new UnreachableException(),
        };
        IReadOnlyList<SourceMark> itemMarks = node is YamlSequence list ? list.Items.Select(i => i.Mark).ToArray() : [];
        return new PipelineValue(spec.Key, spec.Type, value, Written(node), key.Mark, node.Mark, itemMarks);
    }

    private static string Written(YamlNode node) => node switch
    {
        YamlScalar scalar => scalar.Value,
        YamlSequence list => "[" + string.Join(", ", list.Items.Select(Written)) + "]",
        _ => node.Describe(),
    };

    private GenoFlowFormatException Wrong(ParameterSpec spec, YamlNode node, string? expected = null) =>
        errors.At(node.Mark, $"{spec.Key} must be {expected ?? spec.Expected}; found {node.Describe()}");

    private YamlScalar Scalar(ParameterSpec spec, YamlNode node) =>
        node is YamlScalar { IsNull: false } scalar ? scalar : throw Wrong(spec, node);

    /// <summary>The plain scalar text of a number, or an error: quoted values are strings.</summary>
    private string NumberText(ParameterSpec spec, YamlNode node) =>
        node is YamlScalar { Plain: true } scalar && NumberPattern().IsMatch(scalar.Value) ? scalar.Value : throw Wrong(spec, node);

    private double ReadNumber(ParameterSpec spec, YamlNode node)
    {
        double value = double.Parse(NumberText(spec, node), NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(value) ? value : throw Wrong(spec, node, "a finite number");
    }

    private int ReadInteger(ParameterSpec spec, YamlNode node)
    {
        decimal value = Integral(spec, node);
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw Wrong(spec, node, $"an integer from {int.MinValue} to {int.MaxValue}");
    }

    private ulong ReadUnsigned(ParameterSpec spec, YamlNode node)
    {
        decimal value = Integral(spec, node);
        if (value < 0)
        {
            throw Wrong(spec, node);
        }
        return value <= ulong.MaxValue ? (ulong)value : throw Wrong(spec, node, $"an integer from 0 to {ulong.MaxValue}");
    }

    /// <summary>
    /// An integral number, exactly: 4096, 1e3 and 4096.0 are integers, 2.5 is not. Integrality is judged on the double
    /// (decimal would round 1e-30 to 0); the value is taken from decimal, which holds every Int64/UInt64 exactly.
    /// </summary>
    private decimal Integral(ParameterSpec spec, YamlNode node)
    {
        string text = NumberText(spec, node);
        double approximate = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(approximate) || Math.Floor(approximate) != approximate)
        {
            throw Wrong(spec, node);
        }
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value)
            ? value
            : throw Wrong(spec, node, spec.Type is PipelineValueType.Integer ? $"an integer from {int.MinValue} to {int.MaxValue}" : $"an integer from 0 to {ulong.MaxValue}");
    }

    private bool ReadBool(ParameterSpec spec, YamlNode node) => node switch
    {
        YamlScalar { Plain: true, Value: "true" or "True" or "TRUE" } => true,
        YamlScalar { Plain: true, Value: "false" or "False" or "FALSE" } => false,
        _ => throw Wrong(spec, node),
    };

    private string ReadChoice(ParameterSpec spec, YamlNode node)
    {
        YamlScalar scalar = Scalar(spec, node);
        return spec.Options!.Contains(scalar.Value)
            ? scalar.Value
            : throw errors.At(node.Mark, $"{spec.Key} must be one of {string.Join(", ", spec.Options!)}; found {node.Describe()}{PipelineErrors.DidYouMean(scalar.Value, spec.Options!)}");
    }

    private (int First, int Last) ReadRange(ParameterSpec spec, YamlNode node)
    {
        Match match = RangePattern().Match(Scalar(spec, node).Value);
        return match.Success
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : throw Wrong(spec, node);
    }

    /// <summary>The items of a list of scalars; a lone scalar counts as a one-item list where the type allows it.</summary>
    private List<YamlScalar> Items(ParameterSpec spec, YamlNode node, bool allowScalar)
    {
        if (node is YamlScalar scalar && allowScalar)
        {
            return [scalar];
        }
        if (node is not YamlSequence list)
        {
            throw Wrong(spec, node);
        }
        var items = new List<YamlScalar>(list.Items.Count);
        foreach (YamlNode item in list.Items)
        {
            items.Add(item is YamlScalar { IsNull: false } s ? s : throw errors.At(item.Mark, $"each item of {spec.Key} must be a string; found {item.Describe()}"));
        }
        if (items.Count == 0 && allowScalar)
        {
            throw errors.At(node.Mark, $"{spec.Key} must name at least one file; found an empty list");
        }
        return items;
    }

    private string ResolvePath(ParameterSpec spec, YamlScalar scalar)
    {
        string full = Path.GetFullPath(Path.Combine(baseDirectory, scalar.Value));
        string? problem = spec.Check switch
        {
            PathCheck.File when !File.Exists(full) => $"{spec.Key} file '{scalar.Value}' does not exist (looked for {full})",
            PathCheck.Dataset => MissingDataset(scalar.Value, WithoutRelease(full)),
            PathCheck.BedPrefix => MissingBedFile(scalar.Value, full),
            PathCheck.FeatureTable when !File.Exists(Tables.FeatureTable.PathOf(full)) => $"{spec.Key} table '{Tables.FeatureTable.PathOf(scalar.Value)}' does not exist (looked for {Tables.FeatureTable.PathOf(full)})",
            _ => null,
        };
        return problem is null ? full : throw errors.At(scalar.Mark, problem);
    }

    /// <summary>A dataset path without its <c>@LABEL</c> (an earlier release), when it has one and is not itself a directory.</summary>
    private static string WithoutRelease(string full)
    {
        int at = full.LastIndexOf(Core.Storage.ReleaseLabel.Separator);
        return at > 0 && !Directory.Exists(full) && full.IndexOf('/', at) < 0 ? full[..at] : full;
    }

    private static string? MissingDataset(string written, string full) =>
        !Directory.Exists(full) ? $"dataset directory '{written}' does not exist (looked for {full}); expected a GenoFlow dataset (genoflow import makes one)"
        : !File.Exists(Path.Join(full, "manifest.json")) ? $"'{written}' ({full}) is not a GenoFlow dataset: it has no manifest.json"
        : null;

    private static string? MissingBedFile(string written, string full)
    {
        foreach (string extension in (string[])[".bed", ".bim", ".fam"])
        {
            if (!File.Exists(full + extension))
            {
                return $"bed prefix '{written}' has no {Path.GetFileName(full)}{extension} (looked for {full}{extension}); expected PREFIX.bed, PREFIX.bim and PREFIX.fam";
            }
        }
        return null;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^\s*([0-9]{1,9})\s*\.\.\s*([0-9]{1,9})\s*$")]
    private static partial Regex RangePattern();
}
