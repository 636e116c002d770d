using ScottPlot;
using ScottPlot.Plottables;

namespace GenoFlow.Analysis.Reports;

/// <summary>The kinds of plot the sections draw, made the same way everywhere: axis labels, colours, marker sizes.</summary>
internal static class Charts
{
    public const string Circle = "●";
    public const string Square = "■";

    /// <summary>Category colours (Tableau 10, as matplotlib's default), by index, repeating after ten.</summary>
    public static Color Colour(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

    public static string Css(Color colour) => colour.ToHex();

    /// <summary>
    /// A plot in DejaVu Sans (on Debian's fonts-dejavu-core, which Chromium uses too). ScottPlot writes SVG text
    /// with a position per character measured by SkiaSharp, so the browser must draw it in the font it was measured in.
    /// </summary>
    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(Font);
        plot.Title(Plain(title), size: 14);
        plot.XLabel(Plain(xLabel), size: 12);
        plot.YLabel(Plain(yLabel), size: 12);
        return plot;
    }

    private const string Font = "DejaVu Sans";

    /// <summary>
    /// Plot text in ASCII dashes: ScottPlot places SVG text one position per UTF-16 unit but writes the string as
    /// UTF-8 entities the browser spaces differently, which misplaces every letter after an en dash or a minus sign.
    /// </summary>
    public static string Plain(string text) => text.Replace('–', '-').Replace('−', '-');

    /// <summary>Points as filled circles (or squares), no connecting line.</summary>
    public static Scatter Points(Plot plot, double[] xs, double[] ys, Color colour, bool square = false, float size = 4)
    {
        Scatter points = plot.Add.ScatterPoints(xs, ys, colour);
        points.MarkerShape = square ? MarkerShape.FilledSquare : MarkerShape.FilledCircle;
        points.MarkerSize = size;
        return points;
    }

    public static Scatter Line(Plot plot, double[] xs, double[] ys, Color colour, bool markers = false, LinePattern? pattern = null)
    {
        Scatter line = plot.Add.ScatterLine(xs, ys, colour);
        line.LineWidth = 2;
        line.LinePattern = pattern ?? LinePattern.Solid;
        if (markers)
        {
            line.MarkerShape = MarkerShape.FilledCircle;
            line.MarkerSize = 6;
        }
        return line;
    }

    /// <summary>Bars of equal width centred on <paramref name="positions"/>, without outlines (one SVG rect per bar).</summary>
    public static BarPlot Bars(Plot plot, double[] positions, double[] heights, double width, Color colour)
    {
        BarPlot bars = plot.Add.Bars(positions, heights);
        foreach (Bar bar in bars.Bars)
        {
            bar.Size = width;
            bar.FillColor = colour;
            bar.LineWidth = 0;
        }
        return bars;
    }

    /// <summary>A histogram of the finite values in <paramref name="bins"/> equal bins over their range; returns the bars drawn (empty bins draw none).</summary>
    public static int Histogram(Plot plot, IEnumerable<double> values, int bins, Color colour, double? lowest = null, double? highest = null)
    {
        double[] finite = [.. values.Where(double.IsFinite)];
        if (finite.Length == 0)
        {
            return 0;
        }
        double low = lowest ?? finite.Min();
        double high = highest ?? finite.Max();
        if (high <= low)
        {
            high = low + 1e-9 + Math.Abs(low) * 1e-6;
        }
        double width = (high - low) / bins;
        var counts = new double[bins];
        foreach (double value in finite)
        {
            counts[Math.Clamp((int)((value - low) / width), 0, bins - 1)]++;
        }
        Bars(plot, [.. Enumerable.Range(0, bins).Select(b => low + (b + 0.5) * width)], counts, width, colour);
        plot.Axes.Margins(bottom: 0);
        return counts.Count(c => c > 0);
    }

    /// <summary>A dashed vertical line marking a threshold.</summary>
    public static void Threshold(Plot plot, double x, string label)
    {
        VerticalLine line = plot.Add.VerticalLine(x, 2, Colors.Red, LinePattern.Dashed);
        line.LabelText = Plain(label);
        line.LabelFontName = Font;
        line.LabelOppositeAxis = true;
    }
}
