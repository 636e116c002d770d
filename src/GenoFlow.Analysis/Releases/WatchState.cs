using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenoFlow.Analysis.Releases;

/// <summary>
/// What a watcher has finished, in <c>RUN_ROOT/watch.json</c> (written atomically): releases whose pipeline run
/// completed, and release inputs that failed validation (with the identity of the input that failed, so a corrected
/// input is tried again). Which releases were appended is the dataset's own history.
/// </summary>
public sealed record WatchState(List<string> Completed, Dictionary<string, FailedRelease> Failed)
{
    public const string FileName = "watch.json";

    public static WatchState Read(string runRoot)
    {
        string path = Path.Join(runRoot, FileName);
        if (!File.Exists(path))
        {
            return new WatchState([], []);
        }
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), WatchStateJsonContext.Default.WatchState) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new Core.GenoFlowFormatException(path, $"not a watch state file ({e.Message.Split('\n')[0]}); move it aside to start over");
        }
    }

    public void Write(string runRoot)
    {
        string path = Path.Join(runRoot, FileName);
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(this, WatchStateJsonContext.Default.WatchState));
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>A release input that failed: why, and the input identity (<see cref="ReleaseInput.Identity"/>) it had then.</summary>
public sealed record FailedRelease(string Reason, string InputIdentity);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(WatchState))]
internal sealed partial class WatchStateJsonContext : JsonSerializerContext;
