using System.Collections.ObjectModel;
using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// A GenoFlow report opened in Debian's headless Chromium through its ChromeDriver (both installed by tests/run.sh),
/// with no network: Chromium's background services are off, and the page is a file:// URL. What a test reads off it is
/// what the browser rendered: sections, figures with their SVG's laid-out size and drawn marks, console messages, the
/// resources the page loaded.
/// </summary>
internal sealed class ReportBrowser : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";

    private readonly ChromeDriver _driver;

    /// <summary>One figure as rendered: its name, the mark count the page records, the marks found in its SVG, and the SVG's size.</summary>
    public sealed record Figure(string Section, string Name, int RecordedMarks, int Points, int Rects, int Paths, double Width, double Height);

    private ReportBrowser(ChromeDriver driver)
    {
        _driver = driver;
    }

    public static ReportBrowser Open(string htmlFile)
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver), $"{Chromium} and {ChromeDriver} are needed (tests/run.sh installs Debian's chromium and chromium-driver)");
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=1300,1400", "--hide-scrollbars");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver), Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
        try
        {
            driver.Navigate().GoToUrl(new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri);
            return new ReportBrowser(driver);
        }
        catch
        {
            driver.Quit();
            throw;
        }
    }

    /// <summary>data-section of every section, in page order ("run", "qc", "pca", ...).</summary>
    public IReadOnlyList<string> Sections => [.. _driver.FindElements(By.CssSelector("section[data-section]")).Select(s => s.GetAttribute("data-section") ?? "")];

    public IReadOnlyList<Figure> Figures()
    {
        const string script = """
            return Array.from(document.querySelectorAll('figure[data-plot]')).map(f => {
              const svg = f.querySelector('svg');
              const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
              const inPlot = sel => svg ? svg.querySelectorAll('g[clip-path] > ' + sel).length : 0;
              return [f.closest('section').dataset.section, f.dataset.plot, f.dataset.marks,
                      String(inPlot('ellipse')), String(inPlot('rect')), String(inPlot('path')), String(box.width), String(box.height)];
            });
            """;
        var rows = (ReadOnlyCollection<object>)_driver.ExecuteScript(script)!;
        return [.. rows.Cast<ReadOnlyCollection<object>>().Select(r => r.Select(c => c.ToString()!).ToArray()).Select(c => new Figure(c[0], c[1], int.Parse(c[2], CultureInfo.InvariantCulture),
            int.Parse(c[3], CultureInfo.InvariantCulture), int.Parse(c[4], CultureInfo.InvariantCulture), int.Parse(c[5], CultureInfo.InvariantCulture),
            double.Parse(c[6], CultureInfo.InvariantCulture), double.Parse(c[7], CultureInfo.InvariantCulture)))];
    }

    /// <summary>Rows of the table with this data-table id, header excluded, as cell texts.</summary>
    public IReadOnlyList<string[]> Table(string id) =>
        [.. _driver.FindElements(By.CssSelector($"table[data-table='{id}'] tbody tr")).Select(r => r.FindElements(By.TagName("td")).Select(td => td.Text).ToArray())];

    /// <summary>Console messages at level SEVERE (errors, failed loads).</summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        [.. _driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level == LogLevel.Severe).Select(e => e.Message)];

    /// <summary>URLs of every resource the page loaded besides itself (images, styles, scripts, fonts, fetches).</summary>
    public IReadOnlyList<string> LoadedResources() =>
        [.. ((ReadOnlyCollection<object>)_driver.ExecuteScript("return performance.getEntriesByType('resource').map(e => e.name);")!).Select(o => o.ToString()!)];

    /// <summary>Elements that could reach out of the page: scripts, external styles, frames, and any src or remote href.</summary>
    public int ExternalReferences() => Convert.ToInt32(_driver.ExecuteScript(
        "return document.querySelectorAll('script, link, iframe, object, embed, [src], [href^=\"http\"], [href^=\"//\"]').length;"), CultureInfo.InvariantCulture);

    /// <summary>A PNG of the element with this id, scrolled into view, as the browser drew it.</summary>
    public byte[] Screenshot(string elementId)
    {
        IWebElement element = _driver.FindElement(By.Id(elementId));
        _driver.ExecuteScript("arguments[0].scrollIntoView(true);", element);
        return ((ITakesScreenshot)element).GetScreenshot().AsByteArray;
    }

    public void Dispose() => _driver.Quit();
}
