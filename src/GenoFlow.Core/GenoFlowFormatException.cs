namespace GenoFlow.Core;

/// <summary>
/// Malformed input: names the file and where in it (line and column for text, byte offset for binary) and what was expected.
/// The CLI prints <see cref="Exception.Message"/> as one line and exits non-zero.
/// </summary>
public sealed class GenoFlowFormatException : Exception
{
    public GenoFlowFormatException(string file, string problem, long? line = null, int? column = null, long? byteOffset = null, Exception? inner = null)
        : base(Describe(file, problem, line, column, byteOffset), inner)
    {
        File = file;
        Problem = problem;
        Line = line;
        Column = column;
        ByteOffset = byteOffset;
    }

    public string File { get; }
    public string Problem { get; }
    public long? Line { get; }
    public int? Column { get; }
    public long? ByteOffset { get; }

    private static string Describe(string file, string problem, long? line, int? column, long? byteOffset)
    {
        string where = file;
        if (line is not null)
        {
            where += $", line {line}";
        }
        if (column is not null)
        {
            where += $", column {column}";
        }
        if (byteOffset is not null)
        {
            where += $", byte offset {byteOffset}";
        }
        return $"{where}: {problem}";
    }
}
