using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Bgen;

/// <summary>
/// An Oxford .sample file, read as plink2 reads it: a header line of column names, a line of column types, then one
/// line per sample. The first column is the sample ID; when the second is named <c>ID_2</c> (the v1 format,
/// <c>ID_1 ID_2 missing ...</c>) the first is the family ID and the second the sample ID, otherwise (QCTOOL v2's
/// <c>ID missing sex ...</c>) the family ID is 0. A column named <c>sex</c> gives the sex (1/M male, 2/F female,
/// anything else unknown); other columns are not kept.
/// </summary>
internal static class OxfordSampleFile
{
    public static List<SampleInfo> Read(string path)
    {
        using var reader = new StreamReader(PlinkFile.OpenRead(path), bufferSize: 1 << 16);
        long lineNumber = 0;
        string? names = NextLine(reader, ref lineNumber);
        if (names is null)
        {
            throw new GenoFlowFormatException(path, "the .sample file is empty; expected a header line such as 'ID_1 ID_2 missing'");
        }
        string[] columns = Split(names);
        bool twoIds = columns.Length > 1 && columns[1] == "ID_2";
        int sexColumn = Array.FindIndex(columns, c => c.Equals("sex", StringComparison.OrdinalIgnoreCase));
        if (NextLine(reader, ref lineNumber) is not { } types || Split(types).Length != columns.Length)
        {
            throw new GenoFlowFormatException(path, $"the second line must list one type per column ({columns.Length})", lineNumber);
        }

        var samples = new List<SampleInfo>();
        var lineOfId = new Dictionary<string, long>(StringComparer.Ordinal);
        while (NextLine(reader, ref lineNumber) is { } line)
        {
            string[] fields = Split(line);
            if (fields.Length != columns.Length)
            {
                throw new GenoFlowFormatException(path, $"expected {columns.Length} columns as the header names, found {fields.Length}", lineNumber);
            }
            string iid = twoIds ? fields[1] : fields[0];
            if (!lineOfId.TryAdd(iid, lineNumber))
            {
                throw new GenoFlowFormatException(path, $"sample ID '{iid}' appears on line {lineOfId[iid]} and again on line {lineNumber}", lineNumber);
            }
            int sex = sexColumn < 0 ? 0 : fields[sexColumn] switch { "1" or "M" or "m" => 1, "2" or "F" or "f" => 2, _ => 0 };
            samples.Add(new SampleInfo(twoIds ? fields[0] : "0", iid, Sex: sex));
        }
        return samples;
    }

    /// <summary>The next non-blank line, counting every line read.</summary>
    private static string? NextLine(StreamReader reader, ref long lineNumber)
    {
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (!PlinkText.IsBlank(line))
            {
                return line;
            }
        }
        return null;
    }

    private static string[] Split(string line) => line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
}
