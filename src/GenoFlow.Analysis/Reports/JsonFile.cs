using System.Text.Json;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Reports;

/// <summary>A stage's JSON output (summary.json, metrics.json, qc_filter.json) read field by field; a missing or mistyped field is an error naming the file and the field.</summary>
internal sealed class JsonFile
{
    private JsonFile(string path, JsonElement root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }

    public JsonElement Root { get; }

    public static JsonFile Read(string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            return new JsonFile(path, document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new GenoFlowFormatException(path, $"not valid JSON ({e.Message})", inner: e);
        }
    }

    /// <summary>The element at a path of property names, or null when any of them is absent (or null).</summary>
    public JsonElement? Find(params string[] keys)
    {
        JsonElement current = Root;
        foreach (string key in keys)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out current) || current.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
        }
        return current;
    }

    public JsonElement Get(params string[] keys) => Find(keys) ?? throw Missing(keys, "present");

    public double Number(params string[] keys) => Get(keys) is { ValueKind: JsonValueKind.Number } e ? e.GetDouble() : throw Missing(keys, "a number");

    public double? OptionalNumber(params string[] keys) => Find(keys) is { ValueKind: JsonValueKind.Number } e ? e.GetDouble() : null;

    public string Text(params string[] keys) => Get(keys) is { ValueKind: JsonValueKind.String } e ? e.GetString()! : throw Missing(keys, "a string");

    public IEnumerable<JsonElement> Array(params string[] keys) =>
        Get(keys) is { ValueKind: JsonValueKind.Array } e ? e.EnumerateArray() : throw Missing(keys, "an array");

    public double NumberOf(JsonElement element, string key, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new GenoFlowFormatException(Path, $"field '{key}' of {where} should be a number");

    private GenoFlowFormatException Missing(string[] keys, string expected) =>
        new(Path, $"field '{string.Join('.', keys)}' should be {expected}");
}
