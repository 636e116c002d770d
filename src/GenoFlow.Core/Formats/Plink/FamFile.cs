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

    private static readonly System.Buffers.SearchValues<char> Whitespace = System.Buffers.SearchValues.Create(" \t\r\n\v\f");

    /// <summary>
    /// Refuses, before anything is written, a sample whose fields a .fam cannot hold: .fam columns are split on
    /// whitespace, so an id with a space or tab would be read back as other columns (and an empty one as none).
    /// </summary>
    public static void RequireWritable(string path, IReadOnlyList<SampleInfo> samples)
    {
        for (int i = 0; i < samples.Count; i++)
        {
            SampleInfo s = samples[i];
            foreach ((string name, string value) in new[] { ("family ID", s.FamilyId), ("sample ID", s.SampleId), ("father ID", s.FatherId), ("mother ID", s.MotherId), ("phenotype", s.Phenotype) })
            {
                if (value.Length == 0 || value.AsSpan().IndexOfAny(Whitespace) >= 0)
                {
                    throw new GenoFlowFormatException(path, $"sample {i + 1} (it would be line {i + 1}) has {name} '{value}', which a .fam cannot hold (empty or with whitespace); rename it in the source", line: i + 1);
                }
            }
        }
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
