using System.Text;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Vcf;

/// <summary>The sample list of a VCF, from its #CHROM line, and where that line is.</summary>
internal sealed record VcfHeader(IReadOnlyList<string> SampleIds, long ChromLineNumber)
{
    private static ReadOnlySpan<byte> ChromLinePrefix => "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"u8;

    /// <summary>Number of columns before the first sample (the 8 fixed ones and FORMAT).</summary>
    public const int ColumnsBeforeSamples = 9;

    /// <summary>
    /// Parses the #CHROM line; meta lines ("##...") before it are skipped. Throws for a data line before it, a duplicate or
    /// empty sample ID, or wrong fixed column names.
    /// </summary>
    public static VcfHeader Parse(string path, ReadOnlySpan<byte> line, long lineNumber)
    {
        if (!line.StartsWith(ChromLinePrefix))
        {
            throw new GenoFlowFormatException(path, "the #CHROM header line must start with the columns #CHROM POS ID REF ALT QUAL FILTER INFO, tab-separated", lineNumber, 1);
        }
        ReadOnlySpan<byte> rest = line[ChromLinePrefix.Length..];
        var ids = new List<string>();
        if (rest.IsEmpty)
        {
            return new VcfHeader(ids, lineNumber);
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int column = 8;
        foreach (Range r in rest[1..].Split((byte)'\t'))
        {
            column++;
            ReadOnlySpan<byte> name = rest[1..][r];
            if (column == ColumnsBeforeSamples)
            {
                if (!name.SequenceEqual("FORMAT"u8))
                {
                    throw new GenoFlowFormatException(path, $"expected FORMAT as the 9th column of the #CHROM line, found '{Encoding.UTF8.GetString(name)}'", lineNumber, column);
                }
                continue;
            }
            string id = Encoding.UTF8.GetString(name);
            if (id.Length == 0)
            {
                throw new GenoFlowFormatException(path, "empty sample ID in the #CHROM line", lineNumber, column);
            }
            if (!seen.TryAdd(id, column))
            {
                throw new GenoFlowFormatException(path, $"duplicate sample ID '{id}' (also in column {seen[id]}); sample IDs must be unique", lineNumber, column);
            }
            ids.Add(id);
        }
        return new VcfHeader(ids, lineNumber);
    }

    /// <summary>Throws unless this file's samples are exactly <paramref name="expected"/>'s, in the same order.</summary>
    public void RequireSameSamples(string path, VcfHeader expected, string expectedPath)
    {
        int common = Math.Min(SampleIds.Count, expected.SampleIds.Count);
        for (int i = 0; i < common; i++)
        {
            if (!string.Equals(SampleIds[i], expected.SampleIds[i], StringComparison.Ordinal))
            {
                throw new GenoFlowFormatException(path, $"samples differ from {expectedPath}: sample {i + 1} is '{SampleIds[i]}' here but '{expected.SampleIds[i]}' there; all files must list the same samples in the same order", ChromLineNumber, ColumnsBeforeSamples + 1 + i);
            }
        }
        if (SampleIds.Count != expected.SampleIds.Count)
        {
            string first = SampleIds.Count > common ? $"'{SampleIds[common]}' is extra here" : $"'{expected.SampleIds[common]}' is missing here";
            throw new GenoFlowFormatException(path, $"samples differ from {expectedPath}: {SampleIds.Count} samples here but {expected.SampleIds.Count} there (sample {common + 1}, {first})", ChromLineNumber, ColumnsBeforeSamples + 1 + common);
        }
    }

    public IReadOnlyList<SampleInfo> ToSamples() => SampleIds.Select(SampleInfo.FromId).ToArray();
}
