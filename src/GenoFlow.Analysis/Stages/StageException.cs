namespace GenoFlow.Analysis.Stages;

/// <summary>
/// A stage cannot run on what it was given (too few variants left for the components asked, a model that shares too
/// few variants with the dataset, ...). The message is the whole story for the user; the command line prints it as one
/// line. Wrong calls from code stay <see cref="ArgumentException"/>s: they are bugs, shown with their stack.
/// </summary>
public class StageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A stage parameter whose value cannot work. <see cref="Parameter"/> is the parameter's name as pipeline files spell it
/// (kebab-case, e.g. <c>window-kb</c>); the command line puts its own flag in front of <see cref="Problem"/>, a pipeline
/// file the line and column of the key, so each front end names the parameter the way its user wrote it.
/// </summary>
public sealed class StageParameterException(string parameter, string problem) : StageException($"{parameter} {problem}")
{
    public string Parameter { get; } = parameter;

    /// <summary>What is wrong, worded to follow the parameter's name ("must be between 0 and 1").</summary>
    public string Problem { get; } = problem;

    /// <summary>Refuses a count (rows per shard, folds, ...) below 1.</summary>
    public static void ThrowIfBelowOne(string parameter, int value)
    {
        if (value < 1)
        {
            throw new StageParameterException(parameter, "must be at least 1");
        }
    }
}
