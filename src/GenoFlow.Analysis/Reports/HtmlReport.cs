using System.Globalization;
using System.Net;
using System.Text;

namespace GenoFlow.Analysis.Reports;

/// <summary>
/// The report page as it is built: sections of headings, notes, tables and figures, written as one HTML file that
/// needs nothing else (styles inline, plots as inline SVG, no script, no external resource). Every text goes through
/// <see cref="Escape"/>: sample ids, stage names and paths come from files a user controls.
/// </summary>
public sealed class HtmlReport
{
    private const string Style = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 1.5em auto; max-width: 1280px; color: #222; }
        h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #1f77b4; padding-bottom: 0.2em; margin-top: 2em; }
        h3 { margin-bottom: 0.3em; }
        nav a { margin-right: 1em; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        figure { display: inline-block; margin: 0.5em 1em 1em 0; vertical-align: top; }
        figcaption { font-size: 0.85em; max-width: 520px; }
        .key span { margin-right: 0.8em; white-space: nowrap; }
        .note { color: #555; font-size: 0.9em; }
        """;

    private readonly StringBuilder _body = new();
    private readonly List<(string Id, string Title)> _sections = [];
    private int _figures;

    public HtmlReport(string title)
    {
        Title = title;
    }

    public string Title { get; }

    /// <summary>Opens a section; <paramref name="kind"/> (run, qc, pca, kmeans, model, release) is what tests and readers look for.</summary>
    public void BeginSection(string kind, string id, string title)
    {
        _sections.Add((id, title));
        _body.Append(CultureInfo.InvariantCulture, $"<section id=\"{Escape(id)}\" data-section=\"{Escape(kind)}\">\n<h2>{Escape(title)}</h2>\n");
    }

    public void EndSection() => _body.Append("</section>\n");

    /// <summary>Where the page is now, to go back to if a section cannot be finished (<see cref="Rollback"/>).</summary>
    public (int Body, int Sections) Mark() => (_body.Length, _sections.Count);

    /// <summary>Drops everything written since <paramref name="mark"/> (a section left half-written by a missing file).</summary>
    public void Rollback((int Body, int Sections) mark)
    {
        _body.Length = mark.Body;
        _sections.RemoveRange(mark.Sections, _sections.Count - mark.Sections);
    }

    public void Heading(string text) => _body.Append(CultureInfo.InvariantCulture, $"<h3>{Escape(text)}</h3>\n");

    public void Note(string text) => _body.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Escape(text)}</p>\n");

    /// <summary>A table; cells that read as numbers are right-aligned.</summary>
    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string? id = null)
    {
        _body.Append(id is null ? "<table>" : $"<table data-table=\"{Escape(id)}\">").Append("<thead><tr>");
        foreach (string cell in header)
        {
            _body.Append("<th>").Append(Escape(cell)).Append("</th>");
        }
        _body.Append("</tr></thead><tbody>\n");
        foreach (IReadOnlyList<string> row in rows)
        {
            _body.Append("<tr>");
            foreach (string cell in row)
            {
                bool number = double.TryParse(cell.Replace(",", "", StringComparison.Ordinal).TrimEnd('%', ' ', 's'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                _body.Append(number ? "<td class=\"n\">" : "<td>").Append(Escape(cell)).Append("</td>");
            }
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody></table>\n");
    }

    /// <summary>A plot: its SVG inline, with its mark count recorded and a caption (and a colour key) under it.</summary>
    public void Figure(PlotFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        string prefix = $"f{++_figures}_";
        _body.Append(CultureInfo.InvariantCulture, $"<figure data-plot=\"{Escape(figure.Name)}\" data-marks=\"{figure.Marks}\">\n");
        _body.Append(figure.Svg(prefix)).Append('\n');
        _body.Append("<figcaption>");
        if (figure.Key.Count > 0)
        {
            _body.Append("<div class=\"key\">");
            foreach ((string label, string colour, string symbol) in figure.Key)
            {
                _body.Append(CultureInfo.InvariantCulture, $"<span><span style=\"color:{colour}\">{symbol}</span> {Escape(label)}</span>");
            }
            _body.Append("</div>");
        }
        _body.Append(Escape(figure.Caption)).Append("</figcaption>\n</figure>\n");
    }

    public string ToHtml()
    {
        var html = new StringBuilder(_body.Length + 4096);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{Escape(Title)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n<h1>{Escape(Title)}</h1>\n<nav>");
        foreach ((string id, string title) in _sections)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"#{Escape(id)}\">{Escape(title)}</a>");
        }
        html.Append("</nav>\n").Append(_body).Append("</body>\n</html>\n");
        return html.ToString();
    }

    public static string Escape(string text) => WebUtility.HtmlEncode(text);
}
