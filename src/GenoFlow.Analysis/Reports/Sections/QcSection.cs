using System.Globalization;
using GenoFlow.Analysis.Pipelines;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Tables;
using ScottPlot;

namespace GenoFlow.Analysis.Reports.Sections;

/// <summary>
/// QC: histograms of variant call rate, minor allele frequency, sample call rate and heterozygosity rate with the
/// stage's thresholds drawn, a Hardy–Weinberg QQ plot, and the counts each filter removed (qc_filter.json).
/// </summary>
internal static class QcSection
{
    private const int Bins = 50;
    private const string VariantTable = "variant_qc.tsv";
    private const string SampleTableFile = "sample_qc.tsv";

    public static void Write(HtmlReport page, RunContents run, StepRecord step, ReportStage.Settings settings)
    {
        page.BeginSection("qc", $"qc-{step.Name}", $"QC: {step.Name}");
        var filter = JsonFile.Read(run.Require(step, QcFilterFile.FileName));
        double? maf = filter.OptionalNumber("thresholds", "maf");
        double? maxMissing = filter.OptionalNumber("thresholds", "max_missing");
        double? hwe = filter.OptionalNumber("thresholds", "hwe");
        double? sampleMaxMissing = filter.OptionalNumber("thresholds", "sample_max_missing");
        Counts(page, filter);
        if (run.Optional(step, VariantTable) is null && run.Optional(step, "variant_qc.parquet") is not null)
        {
            page.Note("This QC wrote Parquet tables (format: parquet); the report plots the TSV tables only.");
            page.EndSection();
            return;
        }
        var variants = ColumnFile.Read(run.Require(step, VariantTable), ["call_rate", "alt_freq", "hwe_p"]);
        var samples = run.Table(run.Require(step, SampleTableFile));
        double[] callRate = variants.Numbers("call_rate");
        double[] minorFrequency = [.. variants.Numbers("alt_freq").Select(p => Math.Min(p, 1 - p))];

        page.Figure(Histogram("qc-variant-call-rate", "Variant call rate", "call rate", callRate, maxMissing is { } m ? (1 - m, $"1 − max-missing = {1 - m:G3}") : null));
        page.Figure(Histogram("qc-maf", "Minor allele frequency", "MAF", minorFrequency, maf is { } f ? (f, $"maf = {f:G3}") : null));
        double[] sampleCallRate = Column(samples, "call_rate");
        page.Figure(Histogram("qc-sample-call-rate", "Sample call rate", "call rate", sampleCallRate, sampleMaxMissing is { } s ? (1 - s, $"1 − sample-max-missing = {1 - s:G3}") : null));
        double[] het = Column(samples, "het_rate");
        page.Figure(HeterozygosityHistogram(het));
        page.Figure(HweQq(variants.Numbers("hwe_p"), hwe, settings));
        page.EndSection();
    }

    private static void Counts(HtmlReport page, JsonFile filter)
    {
        string N(params string[] keys) => filter.Number(keys).ToString("N0", CultureInfo.InvariantCulture);
        string Threshold(string key) => filter.OptionalNumber("thresholds", key) is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "not applied";
        page.Table(["filter", "threshold", "removed"],
        [
            ["samples: missing rate above (--sample-max-missing)", Threshold("sample_max_missing"), N("summary", "samples_failing_missing")],
            ["variants: missing rate above (--max-missing)", Threshold("max_missing"), N("summary", "variants_failing_missing")],
            ["variants: minor allele frequency below (--maf)", Threshold("maf"), N("summary", "variants_failing_maf")],
            ["variants: HWE exact test p below (--hwe)", Threshold("hwe"), N("summary", "variants_failing_hwe")],
        ], id: "qc-counts");
        page.Note($"Kept {N("summary", "variants_passing")} of {N("summary", "variants")} variants and {N("summary", "samples_passing")} of {N("summary", "samples")} samples. " +
            "Samples are filtered first; variant statistics are over the samples that pass, as PLINK 2 does. A variant can fail several filters.");
    }

    private static double[] Column(SampleTable table, string name)
    {
        int column = table.ColumnIndex(name, "a QC column");
        return [.. Enumerable.Range(0, table.RowCount).Select(r => table.Number(r, column, "a QC value"))];
    }

    private static PlotFigure Histogram(string name, string title, string xLabel, double[] values, (double X, string Label)? threshold)
    {
        Plot plot = Charts.New(title, xLabel, "count");
        int bars = Charts.Histogram(plot, values, Bins, Charts.Colour(0));
        if (threshold is { } t)
        {
            Charts.Threshold(plot, t.X, t.Label);
        }
        string caption = $"{values.Count(double.IsFinite):N0} values in {Bins} bins." + (threshold is { } d ? $" Dashed red line: {d.Label}." : " No threshold set.");
        return new PlotFigure(name, plot, bars, caption);
    }

    /// <summary>GenoFlow has no heterozygosity filter; the plot marks mean ± 3 SD, the usual rule for flagging contamination or inbreeding.</summary>
    private static PlotFigure HeterozygosityHistogram(double[] het)
    {
        Plot plot = Charts.New("Sample heterozygosity rate", "het / called", "count");
        int bars = Charts.Histogram(plot, het, Bins, Charts.Colour(0));
        double[] finite = [.. het.Where(double.IsFinite)];
        string caption = $"{finite.Length:N0} samples in {Bins} bins.";
        if (finite.Length > 1)
        {
            double mean = finite.Average();
            double sd = Math.Sqrt(finite.Sum(h => (h - mean) * (h - mean)) / (finite.Length - 1));
            Charts.Threshold(plot, mean - 3 * sd, "−3 SD");
            Charts.Threshold(plot, mean + 3 * sd, "+3 SD");
            caption += $" Dashed red lines: mean ± 3 SD ({mean - 3 * sd:G3}, {mean + 3 * sd:G3}), a common rule of thumb; no QC filter uses them, {finite.Count(h => Math.Abs(h - mean) > 3 * sd):N0} samples lie outside.";
        }
        return new PlotFigure("qc-het-rate", plot, bars, caption);
    }

    /// <summary>
    /// Observed against expected −log10 p under the null (uniform p). All of the smallest p-values are drawn (where
    /// departures show); above the point limit the bulk is thinned to evenly spaced ranks, which keeps the curve's shape.
    /// </summary>
    private static PlotFigure HweQq(double[] pValues, double? threshold, ReportStage.Settings settings)
    {
        double[] sorted = [.. pValues.Where(p => double.IsFinite(p) && p > 0).Order()];
        int n = sorted.Length;
        int keepTop = Math.Min(n, settings.MaxPoints / 10);
        var ranks = new List<int>(Enumerable.Range(0, keepTop));
        int rest = Math.Min(n - keepTop, settings.MaxPoints - keepTop);
        for (int i = 0; i < rest; i++)
        {
            ranks.Add(keepTop + (int)((long)i * (n - keepTop) / rest));
        }
        double[] expected = [.. ranks.Select(r => -Math.Log10((r + 0.5) / n))];
        double[] observed = [.. ranks.Select(r => -Math.Log10(sorted[r]))];
        Plot plot = Charts.New("Hardy–Weinberg QQ", "expected −log10 p", "observed −log10 p");
        Charts.Points(plot, expected, observed, Charts.Colour(0), size: 3);
        double top = expected.Length > 0 ? expected.Max() : 1;
        Charts.Line(plot, [0, top], [0, top], Colors.Gray, pattern: LinePattern.Dashed);
        string caption = $"{n:N0} variants with a p-value (exact test over the samples that pass).";
        if (threshold is { } h)
        {
            plot.Add.HorizontalLine(-Math.Log10(h), 2, Colors.Red, LinePattern.Dashed);
            caption += $" Dashed red line: hwe = {h:G3}; points above it failed.";
        }
        if (ranks.Count < n)
        {
            caption += $" Drawn: the {keepTop:N0} smallest p-values and {rest:N0} evenly spaced ranks of the other {n - keepTop:N0}.";
        }
        return new PlotFigure("qc-hwe-qq", plot, ranks.Count, caption);
    }
}
