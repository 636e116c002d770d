namespace GenoFlow.Core.Storage;

/// <summary>The outcome of checking one data file against the manifest (see <see cref="Dataset.Verify"/>).</summary>
public enum FileCheckStatus
{
    Ok,
    Missing,
    SizeMismatch,
    ChecksumMismatch,
}

/// <summary>
/// One data file as <see cref="Dataset.Verify"/> found it. <see cref="File"/> is relative to the dataset directory;
/// <see cref="Problem"/> is null when <see cref="Status"/> is <see cref="FileCheckStatus.Ok"/>, else one line saying what is wrong.
/// </summary>
public sealed record FileCheck(string File, long ExpectedBytes, string ExpectedXxh3, FileCheckStatus Status, string? Problem)
{
    public bool IsOk => Status == FileCheckStatus.Ok;
}
