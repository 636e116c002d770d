using GenoFlow.Analysis.Pipelines;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Reports;

/// <summary>
/// A run directory as the report reads it: run.json, and where each step's published files are. Stage outputs are
/// looked up under the run directory by step name (not by the absolute path run.json recorded), so a run directory
/// that was moved or copied still reports. A step recorded as completed whose file is missing is an error naming the file:
/// the report never pretends a stage showed nothing.
/// </summary>
internal sealed class RunContents
{
    private readonly Dictionary<string, SampleTable> _tables = new(StringComparer.Ordinal);

    private RunContents(string directory, RunRecord record)
    {
        Directory = directory;
        Record = record;
    }

    public string Directory { get; }

    public RunRecord Record { get; }

    public static RunContents Load(string runDirectory)
    {
        string directory = Path.GetFullPath(runDirectory);
        string path = Path.Join(directory, RunRecord.FileName);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new GenoFlowFormatException(directory, "no such run directory");
        }
        RunRecord record = RunRecord.Load(directory) ?? throw new GenoFlowFormatException(path, "missing: not a run directory (`genoflow run` and `genoflow pipeline` write run.json)");
        return new RunContents(directory, record);
    }

    /// <summary>Completed stages of a kind, in run order (the report stage itself is never one of them).</summary>
    public IEnumerable<StepRecord> Completed(string kind) => Record.Steps.Where(s => s.Kind == kind && s.Completed);

    public StepRecord? Step(string name) => Record.Steps.FirstOrDefault(s => s.Name == name);

    /// <summary>The stages of <paramref name="kind"/> whose parameter <paramref name="key"/> names <paramref name="target"/>.</summary>
    public IEnumerable<StepRecord> Using(string kind, string key, string target) =>
        Completed(kind).Where(s => s.Parameters.TryGetValue(key, out string? value) && value == target);

    public string StageDirectory(StepRecord step) => Path.Join(Directory, step.Name);

    /// <summary>A file of a completed stage; missing is an error naming the file.</summary>
    public string Require(StepRecord step, string file)
    {
        string path = Path.Join(StageDirectory(step), file);
        if (!File.Exists(path))
        {
            throw new GenoFlowFormatException(path, $"missing: run.json records {step.Kind} stage '{step.Name}' as {step.State}, but its output is gone; rerun the pipeline to recompute it");
        }
        return path;
    }

    public string? Optional(StepRecord step, string file)
    {
        string path = Path.Join(StageDirectory(step), file);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The phenotype table an input provides: a simulated cohort's phenotypes.tsv or a table input's file; null for other inputs.</summary>
    public string? PhenotypeFile(string inputName)
    {
        StepRecord? input = Step(inputName);
        string? path = input?.Kind switch
        {
            "simulate" => Path.Join(Directory, "inputs", input.Name, InputSteps.SimulatedCohort, InputSteps.PhenotypesFile),
            "table" => input.Output,
            _ => null,
        };
        return path is not null && File.Exists(path) ? path : null;
    }

    /// <summary>The phenotype table of the samples of dataset input <paramref name="datasetInput"/>: its own, or the one a train stage paired with it.</summary>
    public SampleTable? PhenotypesOfDataset(string datasetInput)
    {
        string? path = PhenotypeFile(datasetInput)
            ?? Completed("train").Where(s => s.Parameters.GetValueOrDefault("dataset") == datasetInput)
                .Select(s => PhenotypeFile(s.Parameters.GetValueOrDefault("phenotypes") ?? "")).FirstOrDefault(p => p is not null);
        return path is null ? null : Table(path);
    }

    /// <summary>A sample table, read once however many sections show it (a cohort's phenotypes serve the PCA and every model).</summary>
    public SampleTable Table(string path)
    {
        if (!_tables.TryGetValue(path, out SampleTable? table))
        {
            table = SampleTable.Read(path);
            _tables[path] = table;
        }
        return table;
    }
}
