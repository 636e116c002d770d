using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace GenoFlow.Analysis.Output;

/// <summary>The xxh3-64 digests GenoFlow writes beside its outputs (qc_filter.json, run.json): hex, as dataset manifests write them.</summary>
public static class Digests
{
    public static string OfText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(text)).ToString("x16", CultureInfo.InvariantCulture);
    }

    public static string OfFile(string path)
    {
        var hash = new XxHash3();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        hash.Append(stream);
        return hash.GetCurrentHashAsUInt64().ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Every file under <paramref name="directory"/> (relative names in ordinal order, sizes and bytes), or null when it
    /// does not exist: what a stage published, so an edited or deleted output makes the stage run again.
    /// </summary>
    public static string? OfDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }
        var hash = new XxHash3();
        foreach (string file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal))
        {
            string path = Path.Join(directory, file);
            hash.Append(Encoding.UTF8.GetBytes($"{file.Replace('\\', '/')}\n{new FileInfo(path).Length}\n"));
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            hash.Append(stream);
        }
        return hash.GetCurrentHashAsUInt64().ToString("x16", CultureInfo.InvariantCulture);
    }
}
