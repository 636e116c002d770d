using System.Text.Json;
using GenoFlow.Analysis.Pipelines;

namespace GenoFlow.Analysis.Reports.Sections;

/// <summary>
/// Release comparison: shown when run.json records something about an earlier run or release beyond this version's
/// own fields (top-level properties whose names mention a release or an earlier/previous run). They are shown as
/// written, with the release label each stage's dataset had.
/// </summary>
internal static class ReleaseSection
{
    private static readonly string[] Markers = ["release", "previous", "earlier"];

    public static bool Applies(RunContents run) => ReleaseFields(run).Any();

    public static void Write(HtmlReport page, RunContents run)
    {
        page.BeginSection("release", "release", "Release comparison");
        page.Table(["run.json field", "value"], ReleaseFields(run).SelectMany(p => Flatten(p.Name, p.Value)).Take(200)
            .Select(f => (IReadOnlyList<string>)[f.Key, f.Value]), id: "release-fields");
        page.Heading("Releases the stages read");
        page.Table(["stage", "input", "dataset", "release"], run.Record.Steps.SelectMany(s => s.Inputs.Where(i => i.Value.Release is not null)
            .Select(i => (IReadOnlyList<string>)[s.Name, i.Key, i.Value.Source, i.Value.Release!])), id: "release-inputs");
        page.EndSection();
    }

    private static IEnumerable<JsonProperty> ReleaseFields(RunContents run) =>
        run.Raw.ValueKind != JsonValueKind.Object ? [] : run.Raw.EnumerateObject().Where(p => Markers.Any(m => p.Name.Contains(m, StringComparison.OrdinalIgnoreCase)) && p.Value.ValueKind != JsonValueKind.Null);

    private static IEnumerable<KeyValuePair<string, string>> Flatten(string prefix, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().SelectMany(p => Flatten($"{prefix}.{p.Name}", p.Value)),
        JsonValueKind.Array => value.EnumerateArray().SelectMany((e, i) => Flatten($"{prefix}[{i}]", e)),
        _ => [new(prefix, value.ToString())],
    };
}
