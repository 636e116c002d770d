using System.Globalization;
using System.Text;

namespace GenoFlow.Analysis.Output;

/// <summary>How every GenoFlow text output is written: UTF-8 without BOM, "\n" line ends, numbers invariant and round-trip.</summary>
public static class TextTable
{
    /// <summary>A double as the shortest text that reads back to the same bits ("R"), invariant culture.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A new file (never overwriting one) for text output.</summary>
    public static StreamWriter Create(string path) =>
        new(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), new UTF8Encoding(false)) { NewLine = "\n" };
}
