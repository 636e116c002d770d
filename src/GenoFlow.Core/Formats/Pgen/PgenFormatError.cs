namespace GenoFlow.Core.Formats.Pgen;

/// <summary>A malformed record, with the offset inside it; <see cref="PgenReader"/> adds the file and record offset.</summary>
internal sealed class PgenFormatError(string problem, int offsetInRecord) : Exception(problem)
{
    public int OffsetInRecord { get; } = offsetInRecord;
}
