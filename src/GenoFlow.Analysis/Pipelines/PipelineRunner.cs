using System.Reflection;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Reports;
using GenoFlow.Analysis.Results;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// Runs a validated pipeline into a run directory: inputs first (imports, simulations), then the stages in their
/// order, each into <c>RUN/NAME/</c>, recording every step in run.json as it goes. A step whose inputs digest and
/// outputs match a completed step of the run directory is not computed again ("up to date"): that is what makes a run
/// killed at any moment resumable by running the same command again, and what limits a changed parameter to the stage
/// and the stages downstream of it. <see cref="PipelineRunOptions.Force"/> recomputes named stages and everything after them.
/// </summary>
public sealed class PipelineRunner(PipelineDefinition pipeline, string runDirectory, IJobExecutor executor, IPipelineLog log)
{
    private readonly string _run = Path.GetFullPath(runDirectory);
    private readonly Dictionary<string, Artifact> _artifacts = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _disposables = [];
    private RunRecord _record = null!;

    public static string Version { get; } = typeof(PipelineRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <returns>The final run record.</returns>
    public async Task<RunRecord> RunAsync(PipelineRunOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        HashSet<string> forced = Forced(options.Force);
        Validate(pipeline);
        Directory.CreateDirectory(_run);
        using RunLock runLock = RunLock.Take(_run);
        RunLock.RemoveLeftovers(_run);
        RunRecord? earlier = RunRecord.Load(_run);
        _record = new RunRecord(RunRecord.CurrentFormatVersion, Version, Path.GetFullPath(pipeline.File), Digests.OfFile(pipeline.File), DateTimeOffset.UtcNow,
            [.. pipeline.Inputs.Select(i => Pending(i.Name, i.Source, InputSteps.Directory(_run, i))), .. pipeline.Stages.Select(s => Pending(s.Name, s.Kind, Path.Join(_run, s.Name))),
             Pending(ReportStage.StepName, ReportStage.StepKind, Path.Join(_run, ReportStage.StepName))]);
        _record.Save(_run);
        try
        {
            foreach (PipelineInput input in pipeline.Inputs)
            {
                RunInput(input, earlier, ct);
            }
            foreach (PipelineStage stage in pipeline.Stages)
            {
                await RunStageAsync(stage, earlier, forced.Contains(stage.Name), options.ResultStore, ct).ConfigureAwait(false);
            }
            ct.ThrowIfCancellationRequested();
            RunReport(earlier);
            return _record;
        }
        finally
        {
            _disposables.ForEach(d => d.Dispose());
        }
    }

    /// <summary>Every value the stages and simulations would refuse, refused now, at its line and column: nothing runs.</summary>
    public static void Validate(PipelineDefinition pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        if (((IEnumerable<PipelineEntry>)pipeline.Inputs).Concat(pipeline.Stages).FirstOrDefault(e => e.Name == ReportStage.StepName) is { } clash)
        {
            throw clash.Error($"the name '{ReportStage.StepName}' is taken by the run's report step (RUN/{ReportStage.StepName}/{ReportStage.FileName}); give the {clash.Description} another name");
        }
        foreach (PipelineInput input in pipeline.Inputs.Where(i => i.Source == "simulate"))
        {
            InputSteps.SourceDigest(input);
        }
        foreach (PipelineStage stage in pipeline.Stages)
        {
            try
            {
                StageRequests.Validate(stage);
            }
            catch (StageParameterException e)
            {
                throw stage.Error(e.Parameter, e.Message);
            }
        }
    }

    private HashSet<string> Forced(IReadOnlyList<string> names)
    {
        var forced = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (!pipeline.Stages.Any(s => s.Name == name))
            {
                throw new StageParameterException("force", $"names no stage of {pipeline.File}: '{name}' (stages: {string.Join(", ", pipeline.Stages.Select(s => s.Name))})");
            }
            forced.UnionWith(pipeline.Downstream(name).Select(s => s.Name));
        }
        return forced;
    }

    private void RunInput(PipelineInput input, RunRecord? earlier, CancellationToken ct)
    {
        string directory = input.Source is "dataset" ? input.Path("dataset")! : input.Source is "table" ? input.Path("table")! : InputSteps.Directory(_run, input);
        string inputsDigest = InputSteps.SourceDigest(input);
        var step = Step(input.Name) with { InputsDigest = inputsDigest, Parameters = Parameters(input), Output = directory };
        StepRecord? before = earlier?.Steps.FirstOrDefault(s => s.Name == input.Name && s.Kind == input.Source);
        if (input.Source is "dataset" or "table")
        {
            Finish(step with { State = StepRecord.UpToDate, OutputsDigest = inputsDigest }, $"{input.Description}: {directory}");
        }
        else if (before is { Completed: true } && before.InputsDigest == inputsDigest && before.OutputsDigest is { } recorded && InputSteps.OutputDigest(input, directory) == recorded)
        {
            Finish(before with { State = StepRecord.UpToDate }, $"{input.Description}: up to date ({directory})");
        }
        else
        {
            var clock = Stopwatch.StartNew();
            Update(step with { State = StepRecord.Running, Started = DateTimeOffset.UtcNow });
            log.WithProgress(input.Source == "simulate" ? "simulate + import" : "import", progress => InputSteps.Prepare(input, directory, progress, ct));
            Finish(Step(input.Name) with { State = StepRecord.Done, OutputsDigest = InputSteps.OutputDigest(input, directory), Finished = DateTimeOffset.UtcNow, Seconds = clock.Elapsed.TotalSeconds },
                $"{input.Description}: prepared in {directory} in {clock.Elapsed.TotalSeconds:F1} s");
        }
        Dictionary<PipelineProduct, Lazy<object>> products = InputSteps.Products(input, directory, _disposables);
        string? release = products.TryGetValue(PipelineProduct.Dataset, out Lazy<object>? dataset) ? ((Core.Storage.Dataset)dataset.Value).Release : null;
        _artifacts[input.Name] = new Artifact(input.Name, Step(input.Name).OutputsDigest!, directory, products, release);
    }

    private async Task RunStageAsync(PipelineStage stage, RunRecord? earlier, bool forced, ResultStoreSettings? resultStore, CancellationToken ct)
    {
        string directory = Path.Join(_run, stage.Name);
        var lookup = new ArtifactLookup(_artifacts);
        SortedDictionary<string, InputDigest> inputs = Inputs(stage);
        SortedDictionary<string, string> parameters = Parameters(stage);
        string inputsDigest = Digests.OfText(string.Join("\n", [stage.Kind, .. parameters.Select(p => $"{p.Key}={p.Value}"), .. inputs.Select(i => $"{i.Key}:{i.Value.Digest}")]));
        StepRecord step = Step(stage.Name) with { Parameters = parameters, Inputs = inputs, InputsDigest = inputsDigest };
        StepRecord? before = earlier?.Steps.FirstOrDefault(s => s.Name == stage.Name && s.Kind == stage.Kind);
        if (!forced && before is { Completed: true } && before.InputsDigest == inputsDigest && before.OutputsDigest is { } recorded && OutputDigest(stage, directory) == recorded)
        {
            Finish(before with { State = StepRecord.UpToDate, Parameters = parameters, Inputs = inputs }, $"== {stage.Name} ({stage.Kind}): up to date, computed {before.Finished:u}");
            _artifacts[stage.Name] = new Artifact(stage.Name, recorded, directory, StageRunners.Load(stage, lookup, directory));
            return;
        }
        log.Line($"== {stage.Name} ({stage.Kind}){(forced ? " (forced)" : "")}");
        Update(step with { State = StepRecord.Running, Started = DateTimeOffset.UtcNow });
        var clock = Stopwatch.StartNew();
        try
        {
            var (outcome, statistics) = await log.WithProgressAsync(stage.Kind, async progress =>
            {
                using var context = new StageContext(executor, directory, resultStore, progress, ct);
                return (await context.RunAsync(c => StageRunners.RunAsync(stage, lookup, c)).ConfigureAwait(false), context.Statistics);
            }).ConfigureAwait(false);
            string outputs = OutputDigest(stage, directory) ?? throw new InvalidOperationException($"{stage.Description} wrote no output");
            Finish(Step(stage.Name) with
            {
                State = StepRecord.Done, OutputsDigest = outputs, Finished = DateTimeOffset.UtcNow, Seconds = clock.Elapsed.TotalSeconds,
                Jobs = statistics.Jobs, Requests = statistics.Requests, Retries = statistics.Retries, TileBytes = statistics.TileBytes,
                MessageBytes = statistics.MessageBytes, ScratchWritten = statistics.ScratchWritten, ScratchRead = statistics.ScratchRead, Nodes = statistics.UnitsPerNode,
                Computed = statistics.Computed, FromStore = statistics.FromStore,
            }, null);
            if (outcome.Warning is { } warning)
            {
                log.Warning(warning);
            }
            foreach (string line in outcome.Report)
            {
                log.Line(line);
            }
            log.Line(statistics.Describe());
            _artifacts[stage.Name] = new Artifact(stage.Name, outputs, directory, outcome.Products);
        }
        catch (StageParameterException e)
        {
            Update(Step(stage.Name) with { State = StepRecord.Failed, Finished = DateTimeOffset.UtcNow, Error = e.Message });
            throw stage.Error(e.Parameter, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Update(Step(stage.Name) with { State = StepRecord.Failed, Finished = DateTimeOffset.UtcNow, Error = e.Message });
            throw;
        }
    }

    /// <summary>The report of every other step, redrawn when any of their outputs (or the GenoFlow version) changed.</summary>
    private void RunReport(RunRecord? earlier)
    {
        string directory = Path.Join(_run, ReportStage.StepName);
        var inputs = new SortedDictionary<string, InputDigest>(StringComparer.Ordinal);
        foreach (StepRecord other in _record.Steps.Where(s => s.Name != ReportStage.StepName))
        {
            inputs[other.Name] = new InputDigest(other.Name, other.OutputsDigest ?? "");
        }
        string inputsDigest = Digests.OfText(string.Join("\n", [ReportStage.StepKind, Version, .. inputs.Select(i => $"{i.Key}:{i.Value.Digest}")]));
        StepRecord step = Step(ReportStage.StepName) with { Inputs = inputs, InputsDigest = inputsDigest };
        StepRecord? before = earlier?.Steps.FirstOrDefault(s => s.Name == ReportStage.StepName && s.Kind == ReportStage.StepKind);
        string file = Path.Join(directory, ReportStage.FileName);
        if (before is { Completed: true } && before.InputsDigest == inputsDigest && before.OutputsDigest is { } recorded && Digests.OfDirectory(directory) == recorded)
        {
            Finish(before with { State = StepRecord.UpToDate }, $"== {ReportStage.StepName}: up to date ({file})");
            return;
        }
        log.Line($"== {ReportStage.StepName}");
        Update(step with { State = StepRecord.Running, Started = DateTimeOffset.UtcNow });
        var clock = Stopwatch.StartNew();
        ReportStage.Result? result = null;
        try
        {
            OutputDirectory.Publish(directory, staging => result = ReportStage.Write(_run, Path.Join(staging, ReportStage.FileName), new ReportStage.Settings()));
        }
        catch (Exception e)
        {
            Update(Step(ReportStage.StepName) with { State = StepRecord.Failed, Finished = DateTimeOffset.UtcNow, Error = e.Message });
            throw;
        }
        Finish(Step(ReportStage.StepName) with
        {
            State = StepRecord.Done, OutputsDigest = Digests.OfDirectory(directory), Finished = DateTimeOffset.UtcNow, Seconds = clock.Elapsed.TotalSeconds,
        }, ReportStage.Report(result! with { File = file }).Single());
    }

    /// <summary>The stage's output directory and its state files, or null when the directory is gone.</summary>
    private static string? OutputDigest(PipelineStage stage, string directory)
    {
        string? outputs = Digests.OfDirectory(directory);
        if (outputs is null)
        {
            return null;
        }
        string[] state = [.. StageRunners.StateFiles(stage, directory)];
        return state.Length == 0 ? outputs : state.All(File.Exists) ? Digests.OfText(string.Join("\n", [outputs, .. state.Select(Digests.OfFile)])) : null;
    }

    /// <summary>Each reference's artifact digest (and a dataset's release) and each file parameter's bytes.</summary>
    private SortedDictionary<string, InputDigest> Inputs(PipelineStage stage)
    {
        var inputs = new SortedDictionary<string, InputDigest>(StringComparer.Ordinal);
        foreach (PipelineValue value in stage.Values)
        {
            if (value.Value is PipelineReference reference)
            {
                Artifact artifact = _artifacts[reference.Target];
                inputs[value.Key] = new InputDigest(reference.Target, artifact.Digest, reference.Provides == PipelineProduct.Dataset ? artifact.Release : null);
            }
            else if (value.Type == PipelineValueType.Path)
            {
                inputs[value.Key] = new InputDigest((string)value.Value, Digests.OfFile((string)value.Value));
            }
            else if (value.Type == PipelineValueType.PathList)
            {
                // A stage's path lists are feature tables (TABLE[:COL,...]): the stage reruns when a table's bytes change.
                string[] specs = (string[])value.Value;
                inputs[value.Key] = new InputDigest(string.Join(",", specs), Digests.OfText(string.Join("\n", specs.Select(s => Digests.OfFile(Tables.FeatureTable.PathOf(s))))));
            }
        }
        return inputs;
    }

    private static SortedDictionary<string, string> Parameters(PipelineEntry entry) =>
        new(entry.Values.ToDictionary(v => v.Key, v => v.Value is PipelineReference r ? r.Target : v.Written, StringComparer.Ordinal), StringComparer.Ordinal);

    private static StepRecord Pending(string name, string kind, string output) =>
        new(name, kind, StepRecord.Pending, output, new SortedDictionary<string, string>(StringComparer.Ordinal), new SortedDictionary<string, InputDigest>(StringComparer.Ordinal), "");

    private StepRecord Step(string name) => _record.Steps.First(s => s.Name == name);

    private void Update(StepRecord step)
    {
        _record.Steps[_record.Steps.FindIndex(s => s.Name == step.Name)] = step;
        _record.Save(_run);
    }

    private void Finish(StepRecord step, string? line)
    {
        Update(step);
        if (line is not null)
        {
            log.Line(line);
        }
    }
}

/// <param name="Force">Stages to recompute, with everything downstream of them, even when up to date.</param>
/// <param name="ResultStore">Where the stages' tile jobs keep partial results; null for none.</param>
public sealed record PipelineRunOptions(IReadOnlyList<string> Force, ResultStoreSettings? ResultStore = null);

/// <summary>Where a pipeline run reports: lines for the user, warnings, and progress of long steps.</summary>
public interface IPipelineLog
{
    void Line(string text);

    void Warning(string text);

    void WithProgress(string title, Action<IProgress<double>> work);

    Task<T> WithProgressAsync<T>(string title, Func<IProgress<double>, Task<T>> work);
}
