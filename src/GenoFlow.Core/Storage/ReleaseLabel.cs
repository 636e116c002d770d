namespace GenoFlow.Core.Storage;

/// <summary>The rules for release labels, which name a release in <c>DATASET@LABEL</c>.</summary>
public static class ReleaseLabel
{
    public const char Separator = '@';
    public const int MaxLength = 128;

    /// <summary>Why <paramref name="label"/> cannot be a release label, or null when it can.</summary>
    public static string? Problem(string label) =>
        string.IsNullOrWhiteSpace(label) ? "a release label cannot be empty"
        : label.Length > MaxLength ? $"a release label has at most {MaxLength} characters"
        : label.IndexOfAny(['@', '/', '\\']) >= 0 || label.Any(char.IsControl) ? $"release label '{label}' contains '@', '/', '\\' or a control character"
        : null;
}
