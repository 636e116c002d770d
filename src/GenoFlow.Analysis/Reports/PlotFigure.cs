using System.Text.RegularExpressions;
using ScottPlot;

namespace GenoFlow.Analysis.Reports;

/// <summary>
/// One plot of the report, rendered by ScottPlot to SVG. <see cref="Marks"/> is how many data marks (points, bars,
/// curves) it draws, which the page records so a test can check it against the SVG. Colour keys go in the HTML
/// caption rather than a ScottPlot legend, so the SVG holds the data marks and nothing that looks like them.
/// </summary>
public sealed partial class PlotFigure
{
    public const int Width = 520;
    public const int Height = 400;

    private readonly string _svg;

    public PlotFigure(string name, Plot plot, int marks, string caption, IReadOnlyList<(string Label, string Colour, string Symbol)>? key = null)
    {
        ArgumentNullException.ThrowIfNull(plot);
        Name = name;
        Marks = marks;
        Caption = caption;
        Key = key ?? [];
        // The XML declaration is not allowed inside HTML. Marker and bar positions to a tenth of a pixel: ScottPlot
        // writes five or more decimals, a third of the bytes of a scatter of thousands of points, invisible on screen.
        _svg = LongDecimals().Replace(XmlDeclaration().Replace(plot.GetSvgXml(Width, Height), "").Trim(), "$1\"");
    }

    public string Name { get; }

    public int Marks { get; }

    public string Caption { get; }

    public IReadOnlyList<(string Label, string Colour, string Symbol)> Key { get; }

    /// <summary>
    /// The SVG with its clip-path ids prefixed: ScottPlot numbers them from the same counter in every plot, and ids of
    /// inline SVGs share the page's one namespace, so two plots would otherwise clip to each other's rectangles.
    /// </summary>
    public string Svg(string idPrefix) => ClipId().Replace(_svg, m => m.Groups[1].Value + idPrefix + m.Groups[2].Value);

    [GeneratedRegex(@"^<\?xml[^>]*\?>")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"(\b(?:cx|cy|rx|ry|x|y|width|height)=""-?\d+\.\d)\d*""")]
    private static partial Regex LongDecimals();

    [GeneratedRegex(@"(id=""|url\(#)(cl_\d+)")]
    private static partial Regex ClipId();
}
