namespace GenoFlow.Core.Formats.Plink;

/// <summary>Whitespace-separated column splitting shared by the .bim and .fam readers.</summary>
internal static class PlinkText
{
    /// <summary>
    /// Splits <paramref name="line"/> on runs of spaces and tabs into <paramref name="columns"/>; returns the number of
    /// columns found (which may exceed <paramref name="columns"/>' length; only the first ones are stored).
    /// </summary>
    public static int Split(ReadOnlySpan<char> line, Span<Range> columns)
    {
        int count = 0;
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsSeparator(line[i]))
            {
                i++;
            }
            if (i == line.Length)
            {
                break;
            }
            int start = i;
            while (i < line.Length && !IsSeparator(line[i]))
            {
                i++;
            }
            if (count < columns.Length)
            {
                columns[count] = start..i;
            }
            count++;
        }
        return count;
    }

    public static bool IsBlank(ReadOnlySpan<char> line)
    {
        foreach (char c in line)
        {
            if (!IsSeparator(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsSeparator(char c) => c is ' ' or '\t' or '\r';

    /// <summary>The path of one member of a PLINK fileset: <c>PREFIX.extension</c>.</summary>
    public static string MemberPath(string prefix, string extension) => prefix + "." + extension;
}
