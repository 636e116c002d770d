using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// run.json: what a run directory holds and how each of its steps (inputs to import, stages) came to be. The runner
/// rewrites it atomically (temporary file, then rename) at every change of state, so after a crash it tells which steps
/// finished: a step whose state is done or up-to-date, whose inputs digest equals what it would be now and whose
/// output directory still has the recorded digest is not computed again.
/// </summary>
public sealed record RunRecord(int FormatVersion, string GenoflowVersion, string Pipeline, string PipelineXxh3, DateTimeOffset Updated, List<StepRecord> Steps)
{
    public const string FileName = "run.json";
    public const int CurrentFormatVersion = 1;

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The record in <paramref name="runDirectory"/>, or null when there is none (a new run).</summary>
    public static RunRecord? Load(string runDirectory)
    {
        string path = Path.Join(runDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            RunRecord? record = JsonSerializer.Deserialize<RunRecord>(File.ReadAllBytes(path), Json);
            if (record is null || record.FormatVersion != CurrentFormatVersion || record.Steps is null)
            {
                throw new Core.GenoFlowFormatException(path, $"not a run record of format {CurrentFormatVersion}; use another --run-dir");
            }
            return record;
        }
        catch (JsonException e)
        {
            throw new Core.GenoFlowFormatException(path, $"not a valid run record ({e.Message}); use another --run-dir", inner: e);
        }
    }

    public void Save(string runDirectory)
    {
        string path = Path.Join(runDirectory, FileName);
        string temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(this with { Updated = DateTimeOffset.UtcNow }, Json));
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>One input or stage of a run.</summary>
/// <param name="State">pending, running, done, failed or up-to-date (found done by an earlier run with the same inputs).</param>
/// <param name="Parameters">The parameters as given in the pipeline file (defaults are the stage's own).</param>
/// <param name="Inputs">What each reference and file parameter resolved to: its digest (and a dataset's release).</param>
/// <param name="InputsDigest">xxh3 over the kind, parameters and input digests: equal digests, same computation.</param>
/// <param name="OutputsDigest">xxh3 over the names and bytes of every file the step wrote.</param>
/// <param name="TileBytes">Bytes of dataset tiles the stage's scatters scanned.</param>
/// <param name="MessageBytes">Payload bytes the stage's jobs moved through cluster messages (0 in process).</param>
/// <param name="ScratchWritten">Bytes the stage (its jobs' units and its own steps) wrote to its scratch areas.</param>
/// <param name="ScratchRead">Bytes the stage read from its scratch areas.</param>
/// <param name="Nodes">Units (tiles, sample shards) each node computed, by kind of unit.</param>
public sealed record StepRecord(
    string Name,
    string Kind,
    string State,
    string Output,
    SortedDictionary<string, string> Parameters,
    SortedDictionary<string, InputDigest> Inputs,
    string InputsDigest,
    string? OutputsDigest = null,
    DateTimeOffset? Started = null,
    DateTimeOffset? Finished = null,
    double? Seconds = null,
    int? Jobs = null,
    long? Requests = null,
    long? Retries = null,
    long? TileBytes = null,
    long? MessageBytes = null,
    long? ScratchWritten = null,
    long? ScratchRead = null,
    long? Computed = null,
    long? FromStore = null,
    IReadOnlyDictionary<string, SortedDictionary<string, long>>? Nodes = null,
    string? Error = null)
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string UpToDate = "up-to-date";

    public bool Completed => State is Done or UpToDate;
}

/// <summary>What one input of a step was: the input or stage it names (or a file), its digest and, for a dataset, its release.</summary>
public sealed record InputDigest(string Source, string Digest, string? Release = null);
