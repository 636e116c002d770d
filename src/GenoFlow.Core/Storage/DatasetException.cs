namespace GenoFlow.Core.Storage;

/// <summary>
/// A dataset operation that cannot proceed for a reason other than a damaged file (those raise
/// <see cref="GenoFlowFormatException"/>): the path is not a dataset, a target would be overwritten, the input is empty
/// or has duplicate sample IDs. The message is one line naming the path; the CLI prints it as is.
/// </summary>
public sealed class DatasetException : Exception
{
    public DatasetException(string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
    }

    public string Path { get; }
}
