namespace GenoFlow.Analysis.Pipelines;

/// <summary>Where something starts in a pipeline file: 1-based line and column, as editors count them.</summary>
public readonly record struct SourceMark(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}
