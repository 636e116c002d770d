using GenoFlow.Core;

namespace GenoFlow.Analysis.Stages;

/// <summary>
/// A list of IDs, one per line (PLINK's --extract and --keep lists): surrounding whitespace trimmed, blank lines skipped,
/// a UTF-8 BOM accepted.
/// </summary>
public static class IdList
{
    public static HashSet<string> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new GenoFlowFormatException(Path.GetFullPath(path), "no such file");
        }
        return File.ReadLines(path).Select(line => line.Trim().TrimStart('\uFEFF')).Where(line => line.Length > 0).ToHashSet(StringComparer.Ordinal);
    }
}
