using GenoFlow.Analysis.KMeans;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Pipelines;
using GenoFlow.Analysis.Tables;
using ScottPlot;

namespace GenoFlow.Analysis.Reports.Sections;

/// <summary>
/// PCA: the scree plot, and PC1–PC2 and PC3–PC4 scatters coloured by the k-means clusters of these scores (when a
/// k-means stage used them) and by a population/label column of the cohort's phenotype table (when it has one), with
/// samples projected onto this PCA (project stages) overlaid as squares.
/// </summary>
internal static class PcaSection
{
    /// <summary>Columns taken as a population label, in order of preference; at most <see cref="MaxLabels"/> distinct values.</summary>
    private static readonly string[] LabelColumns = ["population", "superpopulation", "super_pop", "pop", "ancestry", "label", "group"];

    private const int MaxLabels = 20;

    private sealed record Colouring(string Title, string Caption, Func<string, int> GroupOf, IReadOnlyList<string> Groups);

    public static void Write(HtmlReport page, RunContents run, StepRecord step, ReportStage.Settings settings)
    {
        page.BeginSection("pca", $"pca-{step.Name}", $"PCA: {step.Name}");
        var eigen = ColumnFile.Read(run.Require(step, PcaOutput.EigenvaluesFile), ["pc", "variance_explained"]);
        double[] pcs = eigen.Numbers("pc");
        double[] explained = [.. eigen.Numbers("variance_explained").Select(v => 100 * v)];
        Plot scree = Charts.New("Scree plot", "principal component", "variance explained (%)");
        Charts.Line(scree, pcs, explained, Charts.Colour(0), markers: true);
        page.Figure(new PlotFigure($"pca-scree-{step.Name}", scree, pcs.Length,
            $"Share of the GRM trace each PC explains (sum of the {pcs.Length}: {explained.Sum():F2} %); look for the elbow where population structure ends."));

        SampleTable scores = run.Table(run.Require(step, PcaOutput.ScoresFile));
        var projected = run.Using("project", "model", step.Name).Select(p => (p.Name, Table: run.Table(run.Require(p, PcaOutput.ScoresFile)))).ToList();
        var colourings = new List<Colouring>();
        foreach (StepRecord kmeans in run.Using("kmeans", "scores", step.Name))
        {
            colourings.Add(ByCluster(run, kmeans));
        }
        if (step.Parameters.GetValueOrDefault("dataset") is { } dataset && run.PhenotypesOfDataset(dataset) is { } phenotypes && ByLabel(phenotypes) is { } label)
        {
            colourings.Add(label);
        }
        if (colourings.Count == 0)
        {
            colourings.Add(new Colouring("", "", _ => 0, ["samples"]));
        }
        int components = scores.Columns.Count(c => c.StartsWith("PC", StringComparison.Ordinal));
        foreach (Colouring colouring in colourings)
        {
            page.Figure(Scatter(step, scores, projected, colouring, 1, settings));
            if (components >= 4)
            {
                page.Figure(Scatter(step, scores, projected, colouring, 3, settings));
            }
        }
        if (components < 4)
        {
            page.Note($"Only {components} PCs were computed: no PC3–PC4 plot.");
        }
        page.EndSection();
    }

    private static Colouring ByCluster(RunContents run, StepRecord kmeans)
    {
        KMeansSection.Chosen chosen = KMeansSection.Choose(run, kmeans);
        string path = Path.Join(chosen.Directory, KMeansOutput.AssignmentsFile);
        if (!File.Exists(path))
        {
            throw new Core.GenoFlowFormatException(path, $"missing: output of kmeans stage '{kmeans.Name}'");
        }
        SampleTable assignments = run.Table(path);
        int column = assignments.ColumnIndex("cluster", "the cluster column");
        return new Colouring($"k-means '{kmeans.Name}'", $"Coloured by k-means cluster ('{kmeans.Name}'{chosen.Why}).",
            id => assignments.TryGetRow(id, out int row) ? (int)assignments.Number(row, column, "a cluster number") : -1,
            [.. Enumerable.Range(0, chosen.K).Select(c => $"cluster {c}")]);
    }

    private static Colouring? ByLabel(SampleTable phenotypes)
    {
        foreach (string name in LabelColumns)
        {
            int column = phenotypes.Columns.ToList().IndexOf(name);
            if (column < 0 || phenotypes.IsNumeric(column))
            {
                continue;
            }
            string[] labels = [.. Enumerable.Range(0, phenotypes.RowCount).Select(r => phenotypes.Text(r, column)).Distinct().Order(StringComparer.Ordinal)];
            if (labels.Length > MaxLabels)
            {
                continue;
            }
            var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
            return new Colouring($"'{name}'", $"Coloured by the phenotype table's '{name}' column.",
                id => phenotypes.TryGetRow(id, out int row) ? index[phenotypes.Text(row, column)] : -1, labels);
        }
        return null;
    }

    private static PlotFigure Scatter(StepRecord step, SampleTable scores, List<(string Name, SampleTable Table)> projected, Colouring colouring, int firstPc, ReportStage.Settings settings)
    {
        string x = $"PC{firstPc}", y = $"PC{firstPc + 1}";
        Plot plot = Charts.New($"{x}–{y}{(colouring.Title.Length > 0 ? $" by {colouring.Title}" : "")}", x, y);
        int[] shares = PointSample.Shares([scores.RowCount, .. projected.Select(p => p.Table.RowCount)], settings.MaxPoints);
        int[] drawn = PointSample.Indices(scores.RowCount, shares[0], settings.Seed);
        int xc = scores.ColumnIndex(x, "a PC column"), yc = scores.ColumnIndex(y, "a PC column");
        var key = new List<(string, string, string)>();
        int marks = 0;
        // Groups are drawn as one scatter each; samples without a group (not in the label table) in grey.
        foreach (var group in drawn.GroupBy(r => colouring.GroupOf(scores.SampleIds[r])).OrderBy(g => g.Key))
        {
            Color colour = group.Key < 0 ? Colors.Gray : Charts.Colour(group.Key);
            Charts.Points(plot, [.. group.Select(r => scores.Number(r, xc, x))], [.. group.Select(r => scores.Number(r, yc, y))], colour, size: 3);
            key.Add((group.Key < 0 ? "no label" : colouring.Groups[group.Key], Charts.Css(colour), Charts.Circle));
            marks += group.Count();
        }
        string caption = $"{scores.RowCount:N0} samples of '{step.Name}'. {colouring.Caption}{PointSample.Describe(scores.RowCount, drawn.Length, settings.Seed)}";
        for (int p = 0; p < projected.Count; p++)
        {
            var (name, table) = projected[p];
            int[] rows = PointSample.Indices(table.RowCount, shares[p + 1], settings.Seed);
            int pxc = table.ColumnIndex(x, "a PC column"), pyc = table.ColumnIndex(y, "a PC column");
            Charts.Points(plot, [.. rows.Select(r => table.Number(r, pxc, x))], [.. rows.Select(r => table.Number(r, pyc, y))], Colors.Black.WithAlpha(0.6), square: true, size: 4);
            key.Add(($"projected: {name}", Charts.Css(Colors.Black), Charts.Square));
            marks += rows.Length;
            caption += $" Squares: {table.RowCount:N0} samples projected by '{name}'.{PointSample.Describe(table.RowCount, rows.Length, settings.Seed)}";
        }
        return new PlotFigure($"pca-{x}-{y}-{step.Name}-{colouring.Title}", plot, marks, caption, key);
    }
}
