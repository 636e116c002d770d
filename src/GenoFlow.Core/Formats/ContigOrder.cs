namespace GenoFlow.Core.Formats;

/// <summary>
/// The contig rule every variant input follows, decided once (VCF and .bim alike): records come grouped by contig,
/// names compared exactly as written, so <c>chr1</c> and <c>1</c> are two contigs and interleaving them is refused.
/// A dataset's regions are cut at contig changes, so a contig that came back would be split across regions.
/// </summary>
internal sealed class ContigOrder
{
    private readonly Dictionary<string, string> _firstSeen = new(StringComparer.Ordinal);
    private string? _current;

    /// <summary>
    /// True when <paramref name="contig"/> starts a new group at <paramref name="path"/>, <paramref name="line"/> (inputs
    /// of several files continue one another); throws when it reappears.
    /// </summary>
    public bool Next(string contig, string path, long line)
    {
        if (ReferenceEquals(contig, _current) || string.Equals(contig, _current, StringComparison.Ordinal))
        {
            return false;
        }
        if (_firstSeen.TryGetValue(contig, out string? first))
        {
            throw new GenoFlowFormatException(path, $"contig '{contig}' reappears after contig '{_current}' (first seen at {first}); records must be grouped by contig (names are compared as written: 'chr1' and '1' are different contigs)", line, 1);
        }
        _firstSeen.Add(contig, $"{path}, line {line}");
        _current = contig;
        return true;
    }
}
