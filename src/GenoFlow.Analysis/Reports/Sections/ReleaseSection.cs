using System.Globalization;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Pipelines;
using GenoFlow.Analysis.Qc;
using GenoFlow.Core.Storage;
using ScottPlot;

namespace GenoFlow.Analysis.Reports.Sections;

/// <summary>
/// Release comparison, when the run read a dataset release that follows an earlier one: the dataset's release history
/// up to that release (what each added, from the manifest), and, when the earlier release's run directory is found
/// beside this one (RUN_ROOT/LABEL, as <c>genoflow watch</c> lays runs out), QC and PCA drift: the QC counts of the
/// same-named qc stages side by side, and the variance explained per PC of the same-named pca stages in one scree plot.
/// </summary>
internal static class ReleaseSection
{
    private sealed record Followed(string Input, string DatasetPath, IReadOnlyList<ReleaseInfo> History, int Index);

    public static bool Applies(RunContents run) => Find(run) is not null;

    public static void Write(HtmlReport page, RunContents run)
    {
        Followed followed = Find(run)!;
        ReleaseInfo current = followed.History[followed.Index], previous = followed.History[followed.Index - 1];
        page.BeginSection("release", "release", "Release comparison");
        page.Note($"Input '{followed.Input}' ({followed.DatasetPath}) was read at release {current.Label}, which follows {previous.Label}: " +
            $"it added {current.AddedSamples:N0} samples and {current.AddedVariants:N0} variants ({current.SampleCount:N0} x {current.VariantCount:N0} in all), writing {current.WrittenTiles:N0} tiles.");
        page.Table(["release", "samples", "variants", "added samples", "added variants", "replaced samples", "tiles written", "appended"],
            followed.History.Take(followed.Index + 1).Select(r => (IReadOnlyList<string>)[r.Label, N(r.SampleCount), N(r.VariantCount), N(r.AddedSamples), N(r.AddedVariants),
                N(r.ReplacedSamples), N(r.WrittenTiles), r.AppendedAt ?? "(import)"]), id: "release-history");
        string earlierDirectory = Path.Join(Path.GetDirectoryName(run.Directory), previous.Label);
        if (!File.Exists(Path.Join(earlierDirectory, RunRecord.FileName)))
        {
            page.Note($"No run of release {previous.Label} beside this one ({earlierDirectory}; `genoflow watch` runs each release into RUN_ROOT/LABEL): no QC or PCA drift.");
            page.EndSection();
            return;
        }
        RunContents earlier = RunContents.Load(earlierDirectory);
        QcDrift(page, run, earlier, previous.Label, current.Label);
        PcaDrift(page, run, earlier, previous.Label, current.Label);
        page.EndSection();
    }

    /// <summary>The first dataset input whose release, as the run's stages read it, has an earlier release in the dataset's history.</summary>
    private static Followed? Find(RunContents run)
    {
        foreach (StepRecord input in run.Record.Steps.Where(s => s.Kind == "dataset" && s.Completed))
        {
            string? label = run.Record.Steps.SelectMany(s => s.Inputs.Values).FirstOrDefault(i => i.Source == input.Name && i.Release is not null)?.Release;
            int at = input.Output.LastIndexOf(ReleaseLabel.Separator);
            string path = at > 0 && !Directory.Exists(input.Output) ? input.Output[..at] : input.Output;
            if (label is null || !Directory.Exists(path))
            {
                continue;
            }
            using Dataset dataset = Dataset.Open(path);
            IReadOnlyList<ReleaseInfo> history = dataset.Manifest.History;
            int index = history.ToList().FindIndex(r => r.Label == label);
            if (index > 0)
            {
                return new Followed(input.Name, path, history, index);
            }
        }
        return null;
    }

    private static void QcDrift(HtmlReport page, RunContents run, RunContents earlier, string before, string after)
    {
        string[] counts = ["variants", "variants_passing", "variants_failing_maf", "variants_failing_missing", "variants_failing_hwe", "samples", "samples_passing", "samples_failing_missing"];
        foreach (StepRecord step in run.Completed("qc"))
        {
            if (earlier.Completed("qc").FirstOrDefault(s => s.Name == step.Name) is not { } old)
            {
                continue;
            }
            var now = JsonFile.Read(run.Require(step, QcFilterFile.FileName));
            var then = JsonFile.Read(earlier.Require(old, QcFilterFile.FileName));
            page.Heading($"QC drift: {step.Name}");
            page.Table(["count", before, after, "change"], counts.Select(c =>
            {
                double a = then.Number("summary", c), b = now.Number("summary", c);
                return (IReadOnlyList<string>)[c.Replace('_', ' '), N(a), N(b), (b - a).ToString("+#,0;-#,0;0", CultureInfo.InvariantCulture)];
            }), id: $"qc-drift-{step.Name}");
        }
    }

    private static void PcaDrift(HtmlReport page, RunContents run, RunContents earlier, string before, string after)
    {
        foreach (StepRecord step in run.Completed("pca"))
        {
            if (earlier.Completed("pca").FirstOrDefault(s => s.Name == step.Name) is not { } old)
            {
                continue;
            }
            double[] now = Explained(run, step), then = Explained(earlier, old);
            Plot plot = Charts.New($"Variance explained, {before} and {after}", "principal component", "variance explained (%)");
            Charts.Line(plot, [.. Enumerable.Range(1, then.Length).Select(i => (double)i)], then, Charts.Colour(7), markers: true, pattern: LinePattern.Dashed);
            Charts.Line(plot, [.. Enumerable.Range(1, now.Length).Select(i => (double)i)], now, Charts.Colour(0), markers: true);
            page.Figure(new PlotFigure($"release-pca-{step.Name}", plot, now.Length + then.Length,
                $"PCA '{step.Name}' of each release: a PC whose share moved is structure the new samples brought (or diluted).",
                [(before, Charts.Css(Charts.Colour(7)), "┅"), (after, Charts.Css(Charts.Colour(0)), "━")]));
        }
    }

    private static double[] Explained(RunContents run, StepRecord step) =>
        [.. ColumnFile.Read(run.Require(step, PcaOutput.EigenvaluesFile), ["variance_explained"]).Numbers("variance_explained").Select(v => 100 * v)];

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
