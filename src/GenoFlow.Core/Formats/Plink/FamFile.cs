using System.Globalization;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Plink;

/// <summary>
/// PLINK .fam: one sample per line, six whitespace-separated columns (FID IID father mother sex phenotype).
/// Blank lines are skipped; IIDs must be unique.
/// </summary>
internal static class FamFile
{
    public const int ColumnCount = 6;

    public static List<SampleInfo> Read(string path)
    {
        var samples = new List<SampleInfo>();
        var lineOfId = new Dictionary<string, long>(StringComparer.Ordinal);
        Span<Range> cols = stackalloc Range[ColumnCount];
        using var reader = new StreamReader(PlinkFile.OpenRead(path), bufferSize: 1 << 16);
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (PlinkText.IsBlank(line))
            {
                continue;
            }
            int found = PlinkText.Split(line, cols);
            if (found != ColumnCount)
            {
                throw new GenoFlowFormatException(path, $"expected {ColumnCount} columns (FID IID father mother sex phenotype), found {found}", lineNumber);
            }
            ReadOnlySpan<char> s = line;
            if (!int.TryParse(s[cols[4]], NumberStyles.Integer, CultureInfo.InvariantCulture, out int sex))
            {
                throw new GenoFlowFormatException(path, $"sex must be an integer (0 unknown, 1 male, 2 female), found '{s[cols[4]]}'", lineNumber, column: 5);
            }
            string iid = line[cols[1]];
            if (!lineOfId.TryAdd(iid, lineNumber))
            {
                throw new GenoFlowFormatException(path, $"sample ID '{iid}' appears on line {lineOfId[iid]} and again on line {lineNumber}; IIDs must be unique", lineNumber, column: 2);
            }
            samples.Add(new SampleInfo(line[cols[0]], iid, line[cols[2]], line[cols[3]], sex, line[cols[5]]));
        }
        if (samples.Count == 0)
        {
            throw new GenoFlowFormatException(path, "the .fam file holds no samples");
        }
        return samples;
    }

    public static void Write(TextWriter writer, IReadOnlyList<SampleInfo> samples)
    {
        foreach (SampleInfo s in samples)
        {
            writer.Write(s.FamilyId);
            writer.Write('\t');
            writer.Write(s.SampleId);
            writer.Write('\t');
            writer.Write(s.FatherId);
            writer.Write('\t');
            writer.Write(s.MotherId);
            writer.Write('\t');
            writer.Write(s.Sex.ToString(CultureInfo.InvariantCulture));
            writer.Write('\t');
            writer.Write(s.Phenotype);
            writer.Write('\n');
        }
    }
}
