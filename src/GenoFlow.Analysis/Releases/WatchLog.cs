using System.Globalization;

namespace GenoFlow.Analysis.Releases;

/// <summary>
/// <c>RUN_ROOT/watch.log</c>: a tab-separated line per release processed (appended and run, or failed), each written
/// with one append so a crash never leaves half a line: release, start, end (UTC), outcome, steps computed, steps up to
/// date, and a detail (the error, or the run directory).
/// </summary>
public static class WatchLog
{
    public const string FileName = "watch.log";
    public const string Header = "release\tstart\tend\toutcome\tcomputed\tup_to_date\tdetail";

    public static void Append(string runRoot, string release, DateTimeOffset start, string outcome, int computed, int upToDate, string detail)
    {
        string path = Path.Join(runRoot, FileName);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{release}\t{start:yyyy-MM-ddTHH:mm:ssZ}\t{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\t{outcome}\t{computed}\t{upToDate}\t{detail.ReplaceLineEndings(" ").Replace('\t', ' ')}\n");
        if (!File.Exists(path))
        {
            line = Header + "\n" + line;
        }
        File.AppendAllText(path, line);
    }
}
