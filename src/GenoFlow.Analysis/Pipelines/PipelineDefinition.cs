namespace GenoFlow.Analysis.Pipelines;

/// <summary>A validated pipeline file: its inputs in file order and its stages in the order they can run.</summary>
public sealed class PipelineDefinition
{
    internal PipelineDefinition(string file, string baseDirectory, int version, IReadOnlyList<PipelineInput> inputs, IReadOnlyList<PipelineStage> stages)
    {
        File = file;
        BaseDirectory = baseDirectory;
        Version = version;
        Inputs = inputs;
        Stages = stages;
    }

    /// <summary>The pipeline file as named in messages (as the user gave it).</summary>
    public string File { get; }

    /// <summary>The full path relative paths in the file were resolved against: the file's directory.</summary>
    public string BaseDirectory { get; }

    public int Version { get; }

    public IReadOnlyList<PipelineInput> Inputs { get; }

    /// <summary>Stages in a topological order: every stage after the stages it uses; independent stages in file order.</summary>
    public IReadOnlyList<PipelineStage> Stages { get; }

    public PipelineInput Input(string name) =>
        Inputs.FirstOrDefault(i => i.Name == name) ?? throw new KeyNotFoundException($"the pipeline {File} has no input '{name}'");

    public PipelineStage Stage(string name) =>
        Stages.FirstOrDefault(s => s.Name == name) ?? throw new KeyNotFoundException($"the pipeline {File} has no stage '{name}'");

    /// <summary>The input or stage a reference names.</summary>
    public PipelineEntry Entry(string name) =>
        (PipelineEntry?)Inputs.FirstOrDefault(i => i.Name == name) ?? Stage(name);

    /// <summary>The stage and every stage that uses it, directly or not, in run order: what <c>--force STAGE</c> reruns.</summary>
    public IReadOnlyList<PipelineStage> Downstream(string name)
    {
        var affected = new HashSet<string>(StringComparer.Ordinal) { Stage(name).Name };
        var result = new List<PipelineStage>();
        // Stages are in topological order, so one pass sees every stage's dependencies before the stage.
        foreach (PipelineStage stage in Stages)
        {
            if (affected.Contains(stage.Name) || stage.DependsOn.Any(affected.Contains))
            {
                affected.Add(stage.Name);
                result.Add(stage);
            }
        }
        return result;
    }
}
