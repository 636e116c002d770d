using System.Globalization;
using GenoFlow.Analysis.Pipelines;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Reports.Sections;

/// <summary>
/// Run: what run.json records. The run as a whole (GenoFlow version, pipeline file and its checksum), each input
/// (source, release, sample and variant counts, checksum), each stage (state, duration, parameters, input and output
/// checksums, work scanned), and the nodes with their share of the work units (tiles, sample shards) over all stages.
/// </summary>
internal static class RunSection
{
    private static readonly string[] InputKinds = PipelineSchema.InputSources.ToArray();

    public static void Write(HtmlReport page, RunContents run)
    {
        RunRecord record = run.Record;
        page.BeginSection("run", "run", "Run");
        page.Table(["", ""],
        [
            ["run directory", run.Directory],
            ["GenoFlow version", record.GenoflowVersion],
            ["pipeline", $"{record.Pipeline} (xxh3 {record.PipelineXxh3})"],
            ["run.json updated", record.Updated.ToString("u", CultureInfo.InvariantCulture)],
            ["computed", $"{Seconds(record.Steps.Where(s => s.State == StepRecord.Done).Sum(s => s.Seconds ?? 0))} s in {record.Steps.Count(s => s.State == StepRecord.Done)} steps; {record.Steps.Count(s => s.State == StepRecord.UpToDate)} up to date from earlier runs"],
        ], id: "run");

        page.Heading("Inputs");
        page.Table(["input", "source", "state", "release", "samples", "variants", "checksum (xxh3)", "seconds"],
            record.Steps.Where(s => InputKinds.Contains(s.Kind)).Select(s => Input(run, s)), id: "inputs");

        page.Heading("Stages");
        page.Table(["stage", "kind", "state", "seconds", "parameters", "inputs (checksum, release)", "output checksum", "work"],
            record.Steps.Where(s => !InputKinds.Contains(s.Kind) && s.Kind != ReportStage.StepKind).Select(Stage), id: "stages");
        foreach (StepRecord failed in record.Steps.Where(s => s.State == StepRecord.Failed))
        {
            page.Note($"{failed.Kind} stage '{failed.Name}' failed: {failed.Error}");
        }

        page.Heading("Nodes and their share of the work");
        var units = new SortedDictionary<(string Node, string Unit), long>();
        foreach (StepRecord step in record.Steps)
        {
            foreach (var (unit, perNode) in step.Nodes ?? new Dictionary<string, SortedDictionary<string, long>>())
            {
                foreach (var (node, count) in perNode)
                {
                    units[(node, unit)] = units.GetValueOrDefault((node, unit)) + count;
                }
            }
        }
        if (units.Count == 0)
        {
            page.Note("No stage ran a job in this run's record (every stage up to date, or none ran).");
        }
        else
        {
            page.Table(["node", "unit", "computed", "share"], units.Select(u =>
            {
                long total = units.Where(o => o.Key.Unit == u.Key.Unit).Sum(o => o.Value);
                return (IReadOnlyList<string>)[u.Key.Node, u.Key.Unit, u.Value.ToString("N0", CultureInfo.InvariantCulture), $"{100.0 * u.Value / total:F1} %"];
            }), id: "nodes");
            page.Note("Units computed by each node, summed over every scatter of every stage this record ran (a stage found up to date keeps the figures of the run that computed it).");
        }
        page.EndSection();
    }

    private static IReadOnlyList<string> Input(RunContents run, StepRecord step)
    {
        string datasetPath = step.Kind == "dataset" ? step.Output : Path.Join(run.Directory, "inputs", step.Name, "dataset");
        string release = "", samples = "", variants = "";
        if (step.Kind != "table" && Directory.Exists(datasetPath))
        {
            using Dataset dataset = Dataset.Open(datasetPath);
            (release, samples, variants) = (dataset.Release, dataset.SampleCount.ToString("N0", CultureInfo.InvariantCulture), dataset.VariantCount.ToString("N0", CultureInfo.InvariantCulture));
        }
        return [step.Name, step.Kind, step.State, release, samples, variants, step.OutputsDigest ?? "", Seconds(step.Seconds)];
    }

    private static IReadOnlyList<string> Stage(StepRecord step)
    {
        string inputs = string.Join("; ", step.Inputs.Select(i => $"{i.Key}: {i.Value.Source} ({i.Value.Digest}{(i.Value.Release is { } r ? $", release {r}" : "")})"));
        string work = step.Jobs is null ? "" : $"{step.Jobs:N0} jobs, {step.Requests:N0} requests, {step.Retries:N0} retried{(step.TileBytes is > 0 ? $", {step.TileBytes / 1e6:F1} MB of tiles" : "")}";
        return [step.Name, step.Kind, step.State, Seconds(step.Seconds), string.Join(", ", step.Parameters.Select(p => $"{p.Key}={p.Value}")), inputs, step.OutputsDigest ?? "", work];
    }

    private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) : "";
}
