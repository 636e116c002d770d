using GenoFlow.Analysis.Reports.Sections;

namespace GenoFlow.Analysis.Reports;

/// <summary>
/// The report stage: one self-contained HTML page about a run directory, a section per kind of stage that completed
/// (Run, QC, PCA, k-means, Model, Release comparison), read from run.json and the files each stage published. It
/// computes nothing on genotypes, so it needs no executor; the page is written to a temporary file beside the target
/// and renamed over it, so a failure leaves no half-written page.
/// </summary>
public static class ReportStage
{
    public const string FileName = "report.html";

    /// <summary>Where a pipeline run writes its report: the <c>report</c> step's own directory, as every stage has one.</summary>
    public const string StepName = "report";

    public const string StepKind = "report";

    /// <param name="MaxPoints">Points a scatter draws at most; above it a seeded uniform subsample is drawn, and the plot says so.</param>
    /// <param name="Seed">Seed of those subsamples.</param>
    public sealed record Settings(int MaxPoints = 10_000, int Seed = 1);

    public sealed record Result(string File, long Bytes, IReadOnlyList<string> Sections, TimeSpan Elapsed);

    public static Result Write(string runDirectory, string outputFile, Settings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFile);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        RunContents run = RunContents.Load(runDirectory);
        var page = new HtmlReport($"GenoFlow run report: {Path.GetFileName(run.Directory)}");
        var sections = new List<string>();
        // A stage whose published output is gone or unreadable gets its section with a note naming the file, so the rest
        // of the run can still be looked at.
        void Add(string name, Action<HtmlReport> write)
        {
            var mark = page.Mark();
            try
            {
                write(page);
                sections.Add(name);
            }
            catch (Core.GenoFlowFormatException e)
            {
                page.Rollback(mark);
                string kind = name.Split(':')[0];
                page.BeginSection(kind, name.Replace(':', '-'), $"{kind}: {name[(name.IndexOf(':') + 1)..]} (output missing)");
                page.Note($"This stage completed, but its output cannot be read now: {e.Message}. Run the stage again (genoflow run --force STAGE) to redraw this section.");
                page.EndSection();
                sections.Add(name + " (output missing)");
            }
        }
        Add("run", p => RunSection.Write(p, run));
        foreach (var step in run.Completed("qc"))
        {
            Add($"qc:{step.Name}", p => QcSection.Write(p, run, step, settings));
        }
        foreach (var step in run.Completed("pca"))
        {
            Add($"pca:{step.Name}", p => PcaSection.Write(p, run, step, settings));
        }
        foreach (var step in run.Completed("kmeans"))
        {
            Add($"kmeans:{step.Name}", p => KMeansSection.Write(p, run, step));
        }
        foreach (var step in run.Completed("train"))
        {
            Add($"model:{step.Name}", p => ModelSection.Write(p, run, step, settings));
        }
        if (ReleaseSection.Applies(run))
        {
            Add("release", p => ReleaseSection.Write(p, run));
        }
        string html = page.ToHtml();
        string target = Path.GetFullPath(outputFile);
        string directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Join(directory, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(temporary, html);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return new Result(target, new FileInfo(target).Length, sections, clock.Elapsed);
    }

    public static IEnumerable<string> Report(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        yield return $"report of {result.Sections.Count} sections ({string.Join(", ", result.Sections)}): {result.File}, {result.Bytes / 1024.0:N0} KB";
    }
}
