using System.Buffers;

namespace GenoFlow.Analysis.Execution;

/// <summary>
/// The rule for every name that reaches the filesystem from a message (scratch job ids, piece names, shard set names):
/// 1 to <see cref="MaxLength"/> characters from [A-Za-z0-9._-], not starting with a dot. So a name never holds a
/// separator, never is or starts <c>..</c>, and never names a hidden file such as an owner marker.
/// </summary>
public static class ScratchNames
{
    public const int MaxLength = 128;

    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && name[0] != '.' && !name.AsSpan().ContainsAnyExcept(Allowed);

    /// <exception cref="ConfinementException"><paramref name="name"/> is not a plain name.</exception>
    public static string Check(string? name, string what) =>
        IsValid(name)
            ? name!
            : throw new ConfinementException($"refused {what} '{Shorten(name)}': a {what} is 1 to {MaxLength} characters of letters, digits, '.', '_' or '-', not starting with '.'");

    /// <summary>A name as it may appear in an error message: at most 80 characters, control characters shown as '?'.</summary>
    public static string Shorten(string? name)
    {
        if (name is null)
        {
            return "";
        }
        string clipped = name.Length > 80 ? name[..80] + "…" : name;
        return string.Create(clipped.Length, clipped, (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
