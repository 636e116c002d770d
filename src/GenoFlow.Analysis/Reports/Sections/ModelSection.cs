using System.Globalization;
using System.Text.Json;
using GenoFlow.Analysis.Pipelines;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Training;
using ScottPlot;

namespace GenoFlow.Analysis.Reports.Sections;

/// <summary>
/// Model: metrics of the train and test splits (metrics.json); for a logistic model ROC and precision–recall curves
/// and a calibration plot of both splits and their confusion matrices at 0.5, for a linear one predicted against
/// observed, all computed from predictions.tsv and the target in the phenotype table; the cross-validation curve when
/// l2 was chosen by CV; |weight| along the genome; the top features (top_features.tsv when the stage wrote one, else
/// the largest standardised weights of model.json) and feature importance bars (feature_importance.tsv, when present);
/// metrics of predict stages that used the model.
/// </summary>
internal static class ModelSection
{
    private const int TopFeatures = 20;
    private const int CurvePoints = 2_000;
    private const int CalibrationBins = 10;

    public static void Write(HtmlReport page, RunContents run, StepRecord step, ReportStage.Settings settings)
    {
        page.BeginSection("model", $"model-{step.Name}", $"Model: {step.Name}");
        var model = JsonFile.Read(run.Require(step, TrainingOutput.ModelFileName));
        var metrics = JsonFile.Read(run.Require(step, TrainingOutput.MetricsFile));
        bool logistic = model.Text("model") == "logistic";
        string target = model.Text("target");
        page.Note($"{model.Text("model")} model of '{target}': l1 {model.Number("hyper_parameters", "l1"):G4}, l2 {model.Number("hyper_parameters", "l2"):G4}, " +
            $"{model.Text("aggregate")} aggregation, {model.Number("rounds"):N0} rounds{(model.Get("converged").GetBoolean() ? "" : " (not converged)")}.");
        MetricsTable(page, metrics, logistic, run, step);

        SampleTable predictions = run.Table(run.Require(step, TrainingOutput.PredictionsFile));
        var splits = Splits(run, step, predictions, target);
        if (splits is null)
        {
            page.Note($"The phenotype table of '{step.Parameters.GetValueOrDefault("phenotypes")}' was not found in the run directory: no curves of predictions against '{target}'.");
        }
        else if (logistic)
        {
            Classifier(page, step, splits);
        }
        else
        {
            PredictedObserved(page, step, splits, settings);
        }
        CrossValidationCurve(page, step, model);
        WeightsAlongGenome(page, step, model, settings);
        Features(page, run, step, model);
        page.EndSection();
    }

    private sealed record Split(string Name, double[] Predicted, double[] Observed);

    private static void MetricsTable(HtmlReport page, JsonFile metrics, bool logistic, RunContents run, StepRecord step)
    {
        string[] keys = logistic ? ["auc", "log_loss", "accuracy"] : ["r2", "rmse"];
        IReadOnlyList<string> Row(string label, JsonFile file, params string[] path) =>
            [label, (file.OptionalNumber([.. path, "samples"]) ?? 0).ToString("N0", CultureInfo.InvariantCulture),
             .. keys.Select(k => file.OptionalNumber([.. path, k]) is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "")];
        var rows = new List<IReadOnlyList<string>> { Row("train", metrics, "train") };
        if (metrics.Find("test") is not null)
        {
            rows.Add(Row("test", metrics, "test"));
        }
        foreach (StepRecord predict in run.Using("predict", "model", step.Name))
        {
            if (run.Optional(predict, TrainingOutput.MetricsFile) is { } path)
            {
                rows.Add(Row($"predict '{predict.Name}' ({predict.Parameters.GetValueOrDefault("dataset")})", JsonFile.Read(path)));
            }
        }
        page.Table(["samples of", "samples", .. keys], rows, id: $"metrics-{step.Name}");
    }

    /// <summary>Predictions paired with the target of the phenotype table, by split; null when the table is not in the run directory.</summary>
    private static List<Split>? Splits(RunContents run, StepRecord step, SampleTable predictions, string target)
    {
        if (run.PhenotypeFile(step.Parameters.GetValueOrDefault("phenotypes") ?? "") is not { } path)
        {
            return null;
        }
        SampleTable phenotypes = run.Table(path);
        int targetColumn = phenotypes.ColumnIndex(target, "the model's target");
        int prediction = predictions.ColumnIndex("prediction", "the prediction column");
        int? split = predictions.Columns.Contains("split") ? predictions.ColumnIndex("split", "the split column") : null;
        var result = new List<Split>();
        foreach (string name in new[] { "train", "test" })
        {
            var pairs = Enumerable.Range(0, predictions.RowCount)
                .Where(r => (split is { } s ? predictions.Text(r, s) : "train") == name && phenotypes.TryGetRow(predictions.SampleIds[r], out _))
                .Select(r =>
                {
                    phenotypes.TryGetRow(predictions.SampleIds[r], out int row);
                    return (Predicted: predictions.Number(r, prediction, "a prediction"), Observed: phenotypes.Number(row, targetColumn, "a target value"));
                })
                .Where(p => double.IsFinite(p.Observed)).ToArray();
            if (pairs.Length > 0)
            {
                result.Add(new Split(name, [.. pairs.Select(p => p.Predicted)], [.. pairs.Select(p => p.Observed)]));
            }
        }
        return result;
    }

    private static void Classifier(HtmlReport page, StepRecord step, List<Split> splits)
    {
        Plot roc = Charts.New("ROC", "false positive rate", "true positive rate");
        Plot pr = Charts.New("Precision–recall", "recall", "precision");
        Plot calibration = Charts.New("Calibration", "mean predicted probability", "observed frequency");
        var key = new List<(string, string, string)>();
        int rocCurves = 0, prCurves = 0, calibrationPoints = 0;
        for (int i = 0; i < splits.Count; i++)
        {
            Split s = splits[i];
            Color colour = Charts.Colour(i);
            key.Add((s.Name, Charts.Css(colour), "━"));
            if (ClassifierCurves.Roc(s.Predicted, s.Observed) is { } r)
            {
                Charts.Line(roc, Thin(r.X), Thin(r.Y), colour);
                rocCurves++;
            }
            if (ClassifierCurves.PrecisionRecall(s.Predicted, s.Observed) is { } p)
            {
                Charts.Line(pr, Thin(p.X), Thin(p.Y), colour);
                prCurves++;
            }
            var (meanPredicted, observed, _) = ClassifierCurves.Calibration(s.Predicted, s.Observed, CalibrationBins);
            Charts.Line(calibration, meanPredicted, observed, colour, markers: true);
            calibrationPoints += meanPredicted.Length;
        }
        Charts.Line(roc, [0, 1], [0, 1], Colors.Gray, pattern: LinePattern.Dashed);
        Charts.Line(calibration, [0, 1], [0, 1], Colors.Gray, pattern: LinePattern.Dashed);
        string counts = string.Join(", ", splits.Select(s => $"{s.Name}: {s.Observed.Length:N0} samples, {s.Observed.Count(o => o == 1):N0} cases"));
        page.Figure(new PlotFigure($"model-roc-{step.Name}", roc, rocCurves, $"One curve per split ({counts}); dashed: chance.", key));
        page.Figure(new PlotFigure($"model-pr-{step.Name}", pr, prCurves, $"Precision against recall as the threshold falls ({counts}).", key));
        page.Figure(new PlotFigure($"model-calibration-{step.Name}", calibration, calibrationPoints,
            $"Predicted probabilities in {CalibrationBins} equal bins of [0, 1] (empty bins left out): mean prediction against the share of cases; dashed: perfect calibration.", key));
        foreach (Split s in splits)
        {
            int tp = 0, fp = 0, tn = 0, fn = 0;
            for (int i = 0; i < s.Observed.Length; i++)
            {
                bool predicted = s.Predicted[i] >= 0.5, actual = s.Observed[i] == 1;
                (tp, fp, tn, fn) = (tp + (predicted && actual ? 1 : 0), fp + (predicted && !actual ? 1 : 0), tn + (!predicted && !actual ? 1 : 0), fn + (!predicted && actual ? 1 : 0));
            }
            page.Heading($"Confusion matrix, {s.Name} (threshold 0.5)");
            page.Table(["", "predicted 0", "predicted 1"],
            [
                ["observed 0", tn.ToString("N0", CultureInfo.InvariantCulture), fp.ToString("N0", CultureInfo.InvariantCulture)],
                ["observed 1", fn.ToString("N0", CultureInfo.InvariantCulture), tp.ToString("N0", CultureInfo.InvariantCulture)],
            ], id: $"confusion-{step.Name}-{s.Name}");
        }
    }

    private static void PredictedObserved(HtmlReport page, StepRecord step, List<Split> splits, ReportStage.Settings settings)
    {
        Plot plot = Charts.New("Predicted against observed", "observed", "predicted");
        var key = new List<(string, string, string)>();
        int marks = 0;
        string caption = "";
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        int[] shares = PointSample.Shares([.. splits.Select(s => s.Observed.Length)], settings.MaxPoints);
        for (int i = 0; i < splits.Count; i++)
        {
            Split s = splits[i];
            int[] rows = PointSample.Indices(s.Observed.Length, shares[i], settings.Seed);
            Charts.Points(plot, [.. rows.Select(r => s.Observed[r])], [.. rows.Select(r => s.Predicted[r])], Charts.Colour(i), size: 3);
            key.Add((s.Name, Charts.Css(Charts.Colour(i)), Charts.Circle));
            marks += rows.Length;
            caption += $"{s.Name}: {s.Observed.Length:N0} samples.{PointSample.Describe(s.Observed.Length, rows.Length, settings.Seed)} ";
            low = Math.Min(low, s.Observed.Min());
            high = Math.Max(high, s.Observed.Max());
        }
        Charts.Line(plot, [low, high], [low, high], Colors.Gray, pattern: LinePattern.Dashed);
        page.Figure(new PlotFigure($"model-predicted-observed-{step.Name}", plot, marks, caption + "Dashed: predicted = observed.", key));
    }

    private static void CrossValidationCurve(HtmlReport page, StepRecord step, JsonFile model)
    {
        if (model.Find("cross_validation") is null)
        {
            page.Note("No cross-validation curve: the stage was given its penalty (l2) rather than choosing it by cross-validation.");
            return;
        }
        double[] grid = [.. model.Array("cross_validation", "grid").Select(e => e.GetDouble())];
        double[] loss = [.. model.Array("cross_validation", "validation_loss").Select(e => e.GetDouble())];
        double chosen = model.Number("cross_validation", "chosen");
        Plot plot = Charts.New("Cross-validation", "log10 l2", "mean validation loss");
        Charts.Line(plot, [.. grid.Select(Math.Log10)], loss, Charts.Colour(0), markers: true);
        Charts.Threshold(plot, Math.Log10(chosen), $"chosen l2 = {chosen:G3}");
        string score = model.Find("cross_validation", "method")?.GetString() == "gcv" ? "Generalised cross-validation score (half the GCV mean squared error)"
            : model.Find("cross_validation", "score")?.GetString() == "auc" ? $"1 − the mean ROC AUC of {model.Number("cross_validation", "folds"):N0} folds"
            : $"Mean validation loss over {model.Number("cross_validation", "folds"):N0} folds";
        page.Figure(new PlotFigure($"model-cv-{step.Name}", plot, grid.Length, $"{score} at each l2 of the grid; dashed red line: the l2 chosen."));
    }

    /// <summary>|weight| of each variant at its position, chromosomes side by side in alternating colours (the weights are per standard deviation of the feature, so they compare).</summary>
    private static void WeightsAlongGenome(HtmlReport page, StepRecord step, JsonFile model, ReportStage.Settings settings)
    {
        var variants = model.Array("variants").Select(v =>
        {
            string[] key = (v.GetProperty("key").GetString() ?? "").Split(':');
            return (Chrom: key[0], Position: key.Length > 1 && long.TryParse(key[1], CultureInfo.InvariantCulture, out long p) ? p : 0, Weight: Math.Abs(model.NumberOf(v, "weight", "a variant")));
        }).ToArray();
        if (variants.Length == 0)
        {
            page.Note("The model has no variant features.");
            return;
        }
        string[] chromosomes = [.. variants.Select(v => v.Chrom).Distinct().OrderBy(c => int.TryParse(c, out int n) ? n : int.MaxValue).ThenBy(c => c, StringComparer.Ordinal)];
        var offsets = new Dictionary<string, double>(StringComparer.Ordinal);
        double offset = 0;
        foreach (string chrom in chromosomes)
        {
            offsets[chrom] = offset;
            offset += variants.Where(v => v.Chrom == chrom).Max(v => v.Position) * 1.02 + 1;
        }
        // Above the point limit, the largest weights are all kept (they are what the plot is for), the rest subsampled.
        int[] byWeight = [.. Enumerable.Range(0, variants.Length).OrderByDescending(i => variants[i].Weight)];
        int top = Math.Min(byWeight.Length, settings.MaxPoints / 10);
        int[] rest = byWeight[top..];
        int[] drawn = [.. byWeight[..top], .. PointSample.Indices(rest.Length, settings.MaxPoints - top, settings.Seed).Select(i => rest[i])];
        Plot plot = Charts.New("|weight| along the genome", "chromosome", "|weight| (per SD of the feature)");
        for (int c = 0; c < chromosomes.Length; c++)
        {
            int[] mine = [.. drawn.Where(i => variants[i].Chrom == chromosomes[c])];
            Charts.Points(plot, [.. mine.Select(i => offsets[chromosomes[c]] + variants[i].Position)], [.. mine.Select(i => variants[i].Weight)], Charts.Colour(c % 2 == 0 ? 0 : 7), size: 3);
        }
        plot.Axes.Bottom.SetTicks([.. chromosomes.Select(c => offsets[c] + variants.Where(v => v.Chrom == c).Max(v => v.Position) / 2.0)], chromosomes);
        string caption = $"{variants.Length:N0} variant weights on {chromosomes.Length} chromosomes.";
        if (drawn.Length < variants.Length)
        {
            caption += $" Drawn: the {top:N0} largest and a uniform random {drawn.Length - top:N0} of the other {rest.Length:N0} (seed {settings.Seed}).";
        }
        page.Figure(new PlotFigure($"model-weights-{step.Name}", plot, drawn.Length, caption));
    }

    private static void Features(HtmlReport page, RunContents run, StepRecord step, JsonFile model)
    {
        page.Heading("Top features");
        if (run.Optional(step, "top_features.tsv") is { } topFile)
        {
            var table = ColumnFile.Read(topFile);
            page.Table(table.Header, Enumerable.Range(0, Math.Min(TopFeatures, table.RowCount)).Select(r => (IReadOnlyList<string>)[.. table.Header.Select(h => table.Texts(h)[r])]), id: $"top-features-{step.Name}");
            page.Note($"The first {Math.Min(TopFeatures, table.RowCount)} of {table.RowCount:N0} rows of top_features.tsv.");
        }
        else
        {
            var features = new List<(string Name, string Kind, double Weight)>();
            features.AddRange(model.Array("variants").Select(v => (v.GetProperty("id").GetString() + " (" + v.GetProperty("key").GetString() + ")", "variant", model.NumberOf(v, "weight", "a variant"))));
            foreach (string kind in new[] { "covariates", "pcs" })
            {
                features.AddRange(model.Array(kind).Select(f => (f.GetProperty("name").GetString() ?? "", kind == "pcs" ? "PC" : "covariate", model.NumberOf(f, "weight", "a feature"))));
            }
            page.Table(["feature", "kind", "weight (per SD)"], features.OrderByDescending(f => Math.Abs(f.Weight)).Take(TopFeatures)
                .Select(f => (IReadOnlyList<string>)[f.Name, f.Kind, f.Weight.ToString("G4", CultureInfo.InvariantCulture)]), id: $"top-features-{step.Name}");
            page.Note($"The {TopFeatures} largest |weight| of model.json (the stage wrote no top_features.tsv).");
        }
        if (run.Optional(step, "feature_importance.tsv") is { } importanceFile)
        {
            ImportanceBars(page, step, ColumnFile.Read(importanceFile));
        }
    }

    /// <summary>
    /// feature_importance.tsv (train's layout: name, kind, features, metric, baseline, importance_mean, importance_sd):
    /// the groups whose permutation costs the most, by mean loss of the metric over the permutations.
    /// </summary>
    private static void ImportanceBars(HtmlReport page, StepRecord step, ColumnFile table)
    {
        const string valueColumn = "importance_mean";
        double[] values = table.Numbers(valueColumn);
        IReadOnlyList<string> names = table.Texts("name");
        // Only groups whose permutation costs something: zero or negative (permuting did not hurt: noise) draw no bar.
        int[] top = [.. Enumerable.Range(0, values.Length).Where(i => double.IsFinite(values[i]) && values[i] > 0).OrderByDescending(i => values[i]).Take(TopFeatures)];
        if (top.Length == 0)
        {
            page.Note("feature_importance.tsv: no feature group's permutation lowered the test metric.");
            return;
        }
        Plot plot = Charts.New("Feature importance", valueColumn, "");
        var bars = plot.Add.Bars([.. top.Select((_, rank) => (double)(top.Length - rank))], [.. top.Select(i => values[i])]);
        bars.Horizontal = true;
        foreach (var bar in bars.Bars)
        {
            bar.FillColor = Charts.Colour(0);
            bar.LineWidth = 0;
        }
        plot.Axes.Left.SetTicks([.. top.Select((_, rank) => (double)(top.Length - rank))], [.. top.Select(i => names[i])]);
        page.Figure(new PlotFigure($"model-importance-{step.Name}", plot, top.Length, $"The {top.Length} feature groups (of {values.Length:N0}; those that lower it at all) whose permutation lowers the test {(table.Texts("metric") is [var metric, ..] ? metric : "metric")} the most: mean over the permutations (their sd is in feature_importance.tsv)."));
    }

    /// <summary>At most <see cref="CurvePoints"/> evenly spaced points of a curve, the last always kept.</summary>
    private static double[] Thin(double[] values)
    {
        if (values.Length <= CurvePoints)
        {
            return values;
        }
        return [.. Enumerable.Range(0, CurvePoints).Select(i => values[(int)((long)i * (values.Length - 1) / (CurvePoints - 1))])];
    }
}
