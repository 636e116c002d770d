using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Pipelines;
using GenoFlow.Analysis.Stages;
using GenoFlow.Core;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Releases;

/// <summary>Where a watcher looks and what it runs (<c>genoflow watch</c>).</summary>
/// <param name="ReleasesDirectory">Where release inputs arrive (<see cref="ReleaseInput"/>).</param>
/// <param name="Dataset">The dataset releases are appended to (created by the first release when it does not exist).</param>
/// <param name="PipelineFile">The pipeline run after each release; one of its inputs must be <paramref name="Dataset"/>.</param>
/// <param name="RunRoot">Run directories (RUN_ROOT/LABEL), the state file and the run log.</param>
public sealed record WatchSettings(string ReleasesDirectory, string Dataset, string PipelineFile, string RunRoot);

/// <summary>What one pass did.</summary>
public sealed record WatchPass(int Appended, int Runs, int Failed);

/// <summary>
/// One pass of <c>genoflow watch</c>: every release input not yet processed, in label order, is appended to the dataset
/// (unless the dataset already has that release) and the pipeline is run into RUN_ROOT/LABEL (resuming a run a crash
/// interrupted: completed stages are up to date there). A release input that fails validation is logged and marked
/// failed (tried again once its files change) and later releases go on; a pipeline run that fails stops the pass, so
/// the next pass retries it before any later release changes the dataset. Holds the watch lock for the dataset.
/// </summary>
public sealed class ReleaseWatcher(WatchSettings settings, IJobExecutor executor, IPipelineLog log)
{
    private readonly string _runRoot = Path.GetFullPath(settings.RunRoot);
    private readonly string _dataset = Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.Dataset));

    /// <summary>The watch lock: one watcher per dataset; a dead watcher's lock dies with it.</summary>
    public static DatasetLock Lock(string dataset)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataset));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return DatasetLock.Acquire(Path.Join(Path.GetDirectoryName(full), "." + Path.GetFileName(full) + ".genoflow-watch"), dataset, "watched", "one watcher per dataset");
    }

    public async Task<WatchPass> RunOnceAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(_runRoot);
        WatchState state = WatchState.Read(_runRoot);
        int appended = 0, runs = 0, failed = 0;
        foreach (ReleaseInput input in ReleaseInput.Find(settings.ReleasesDirectory))
        {
            ct.ThrowIfCancellationRequested();
            if (state.Completed.Contains(input.Label)
                || (state.Failed.TryGetValue(input.Label, out FailedRelease? before) && before.InputIdentity == input.Identity()))
            {
                continue;
            }
            DateTimeOffset start = DateTimeOffset.UtcNow;
            if (!HasRelease(input.Label))
            {
                string? problem = TryAppend(input, ct);
                if (problem is not null)
                {
                    log.Warning($"release {input.Label}: {problem}; skipped (it is tried again when its files change)");
                    state.Failed[input.Label] = new FailedRelease(problem, input.Identity());
                    state.Write(_runRoot);
                    WatchLog.Append(_runRoot, input.Label, start, "invalid", 0, 0, problem);
                    failed++;
                    continue;
                }
                appended++;
                log.Line($"release {input.Label}: appended to {_dataset}");
            }
            state.Failed.Remove(input.Label);
            RunRecord record;
            string runDirectory = Path.Join(_runRoot, input.Label);
            try
            {
                record = await RunPipelineAsync(runDirectory, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                WatchLog.Append(_runRoot, input.Label, start, "run-failed", 0, 0, e.Message);
                throw;
            }
            runs++;
            state.Completed.Add(input.Label);
            state.Write(_runRoot);
            int computed = record.Steps.Count(s => s.State == StepRecord.Done);
            int upToDate = record.Steps.Count(s => s.State == StepRecord.UpToDate);
            WatchLog.Append(_runRoot, input.Label, start, "done", computed, upToDate, runDirectory);
            log.Line($"release {input.Label}: pipeline run complete in {runDirectory} ({computed} steps computed, {upToDate} up to date)");
        }
        return new WatchPass(appended, runs, failed);
    }

    private bool HasRelease(string label)
    {
        if (!File.Exists(Path.Join(_dataset, "manifest.json")))
        {
            return false;
        }
        using Dataset dataset = Dataset.Open(_dataset);
        return dataset.Manifest.History.Any(r => r.Label == label);
    }

    /// <summary>Appends (or, for a dataset that does not exist yet, imports) the release; the problem when its input is invalid.</summary>
    private string? TryAppend(ReleaseInput input, CancellationToken ct)
    {
        if (input.Problem is not null)
        {
            return input.Problem;
        }
        try
        {
            if (!File.Exists(Path.Join(_dataset, "manifest.json")))
            {
                Import(input, _dataset, new DatasetWriteOptions(Release: input.Label), ct);
            }
            else
            {
                ReleaseAppender.Append(_dataset, new AppendOptions(input.Label), (staging, options) => Import(input, staging, options, ct), null, ct);
            }
            return null;
        }
        catch (Exception e) when (e is GenoFlowFormatException or DatasetException or IOException)
        {
            return e.Message;
        }
    }

    private static void Import(ReleaseInput input, string path, DatasetWriteOptions options, CancellationToken ct)
    {
        using IGenotypeReader reader = input.OpenReader();
        using DatasetWriter writer = DatasetWriter.Create(path, reader.Samples, options);
        GenotypeCopy.CopyAll(reader, writer, null, ct);
    }

    private async Task<RunRecord> RunPipelineAsync(string runDirectory, CancellationToken ct)
    {
        PipelineDefinition pipeline = PipelineFile.Load(settings.PipelineFile);
        CheckReadsDataset(pipeline);
        PipelineRunner.Validate(pipeline);
        var runner = new PipelineRunner(pipeline, runDirectory, executor, log);
        return await runner.RunAsync(new PipelineRunOptions([]), ct).ConfigureAwait(false);
    }

    private void CheckReadsDataset(PipelineDefinition pipeline)
    {
        if (!pipeline.Inputs.Any(i => i.Source == "dataset" && Path.TrimEndingDirectorySeparator(Path.GetFullPath(i.Path("dataset")!)) == _dataset))
        {
            throw new StageException($"{pipeline.File}: no input reads the watched dataset {_dataset} (give an input `dataset: {_dataset}`); each release's run would not see it");
        }
    }
}
