namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// One parameter as the file gave it. <paramref name="Value"/> is typed by <paramref name="Type"/>: double, int, ulong,
/// bool, string (text, choice, full path), IReadOnlyList&lt;string&gt; (list, paths), <see cref="PipelineReference"/>
/// or (int First, int Last) (range). <paramref name="Written"/> is the value as written (paths unresolved), for messages;
/// <paramref name="ItemMarks"/> has one mark per item of a list and is empty otherwise.
/// </summary>
public sealed record PipelineValue(
    string Key,
    PipelineValueType Type,
    object Value,
    string Written,
    SourceMark KeyMark,
    SourceMark Mark,
    IReadOnlyList<SourceMark> ItemMarks);
