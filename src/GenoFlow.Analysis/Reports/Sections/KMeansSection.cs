using System.Globalization;
using System.Text.Json;
using GenoFlow.Analysis.KMeans;
using GenoFlow.Analysis.Pipelines;
using ScottPlot;

namespace GenoFlow.Analysis.Reports.Sections;

/// <summary>
/// k-means: cluster sizes; with a K range, inertia and silhouette against K (k-range.tsv) and the sizes of the K the
/// report picks (highest silhouette), which the PCA plots are coloured by too.
/// </summary>
internal static class KMeansSection
{
    /// <summary>The clustering of a k-means stage the report shows: its own files, or with a K range the K of highest silhouette.</summary>
    public sealed record Chosen(string Directory, int K, string Why);

    public static Chosen Choose(RunContents run, StepRecord step)
    {
        if (run.Optional(step, KMeansOutput.KRangeFile) is not { } range)
        {
            run.Require(step, KMeansOutput.SummaryFile);
            return new Chosen(run.StageDirectory(step), (int)JsonFile.Read(Path.Join(run.StageDirectory(step), KMeansOutput.SummaryFile)).Number("k"), "");
        }
        var table = ColumnFile.Read(range, ["k", "silhouette"]);
        double[] ks = table.Numbers("k"), silhouettes = table.Numbers("silhouette");
        if (ks.Length == 0)
        {
            throw new Core.GenoFlowFormatException(range, "has no K rows");
        }
        int best = Enumerable.Range(0, ks.Length).MaxBy(i => double.IsNaN(silhouettes[i]) ? double.NegativeInfinity : silhouettes[i]);
        int k = (int)ks[best];
        return new Chosen(Path.Join(run.StageDirectory(step), $"k{k}"), k, $" (K = {k}, the highest silhouette of the range)");
    }

    public static void Write(HtmlReport page, RunContents run, StepRecord step)
    {
        page.BeginSection("kmeans", $"kmeans-{step.Name}", $"k-means: {step.Name}");
        Chosen chosen = Choose(run, step);
        string summaryPath = Path.Join(chosen.Directory, KMeansOutput.SummaryFile);
        if (!File.Exists(summaryPath))
        {
            throw new Core.GenoFlowFormatException(summaryPath, $"missing: output of kmeans stage '{step.Name}'");
        }
        var summary = JsonFile.Read(summaryPath);
        JsonElement[] clusters = [.. summary.Array("clusters")];
        double[] sizes = [.. clusters.Select(c => summary.NumberOf(c, "size", "a cluster"))];
        page.Note($"Clustered {summary.Number("rows"):N0} rows of {step.Parameters.GetValueOrDefault("scores", "?")} on {summary.Array("columns").Count()} columns; inertia {summary.Number("inertia"):G6}{chosen.Why}.");
        Plot plot = Charts.New($"Cluster sizes, K = {chosen.K}", "cluster", "samples");
        BarsByIndex(plot, sizes);
        page.Figure(new PlotFigure($"kmeans-sizes-{step.Name}", plot, sizes.Length, $"Samples per cluster{chosen.Why}.",
            [.. sizes.Select((size, c) => ($"cluster {c}: {size:N0}", Charts.Css(Charts.Colour(c)), Charts.Square))]));
        if (run.Optional(step, KMeansOutput.KRangeFile) is { } range)
        {
            var table = ColumnFile.Read(range, ["k", "inertia", "silhouette"]);
            double[] ks = table.Numbers("k");
            page.Figure(Curve($"kmeans-inertia-{step.Name}", "Inertia against K", "inertia", ks, table.Numbers("inertia"),
                "Sum of squared distances to the assigned centre; look for the elbow."));
            double[] silhouettes = table.Numbers("silhouette");
            int[] known = [.. Enumerable.Range(0, ks.Length).Where(i => !double.IsNaN(silhouettes[i]))];
            page.Figure(Curve($"kmeans-silhouette-{step.Name}", "Silhouette against K", "silhouette", [.. known.Select(i => ks[i])], [.. known.Select(i => silhouettes[i])],
                "Mean silhouette of a sample of rows (higher: better separated clusters)."));
            page.Table(["K", "inertia", "silhouette"], Enumerable.Range(0, ks.Length).Select(i => (IReadOnlyList<string>)
                [ks[i].ToString(CultureInfo.InvariantCulture), table.Texts("inertia")[i], table.Texts("silhouette")[i]]), id: "k-range");
        }
        page.EndSection();
    }

    private static void BarsByIndex(Plot plot, double[] heights)
    {
        for (int c = 0; c < heights.Length; c++)
        {
            Charts.Bars(plot, [c], [heights[c]], 0.8, Charts.Colour(c));
        }
        plot.Axes.Margins(bottom: 0);
    }

    private static PlotFigure Curve(string name, string title, string yLabel, double[] ks, double[] values, string caption)
    {
        Plot plot = Charts.New(title, "K", yLabel);
        Charts.Line(plot, ks, values, Charts.Colour(0), markers: true);
        return new PlotFigure(name, plot, values.Length, caption);
    }
}
