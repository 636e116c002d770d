using System.CommandLine;
using System.Globalization;
using GenoFlow.Analysis.Pipelines;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Cli.Reports;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Commands;

/// <summary>
/// <c>genoflow pipeline</c>: the main job end to end on the embedded default. A built-in pipeline file
/// (Pipelines/quickstart.yaml: simulate two cohorts; QC, LD prune, PCA, k-means and a linear and a logistic model on
/// the first; projection and prediction of the second) is filled in from the options, written into the work directory
/// and run there like <c>genoflow run</c>, so a second invocation resumes instead of recomputing.
/// </summary>
internal static class PipelineCommand
{
    public const string FileName = "pipeline.yaml";

    public static Command Create()
    {
        var workDirectory = new Option<DirectoryInfo>("--workdir") { Description = "Run directory: the pipeline file, the simulated cohorts, run.json and one directory per stage", DefaultValueFactory = _ => new DirectoryInfo("genoflow-work") };
        var samples = new Option<int>("--samples") { Description = "Samples of the cohort to simulate (the second cohort, new participants on the same array, has a quarter as many)", DefaultValueFactory = _ => 2_000 };
        var variants = new Option<int>("--variants") { Description = "Variants to simulate", DefaultValueFactory = _ => 20_000 };
        var populations = new Option<int>("--populations") { Description = "Populations to simulate (and k-means' K)", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1UL };
        var force = new Option<string[]>("--force") { Description = "Recompute this stage and every stage downstream of it (repeatable)" };
        var command = new Command("pipeline", "Run the built-in pipeline on simulated cohorts: QC, LD prune, PCA, k-means, linear and logistic models, projection and prediction of a second cohort")
        {
            workDirectory, samples, variants, populations, seed, force,
        };
        JobExecution.AddOptions(command);
        ResultStoreOptions.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            string directory = parse.GetValue(workDirectory)!.FullName;
            int sampleCount = parse.GetValue(samples);
            ulong seedValue = parse.GetValue(seed);
            string text = Template()
                .Replace("{samples}", Number(sampleCount), StringComparison.Ordinal)
                .Replace("{new-samples}", Number(Math.Max(1, sampleCount / 4)), StringComparison.Ordinal)
                .Replace("{pairs}", Number(sampleCount / 200), StringComparison.Ordinal)
                .Replace("{variants}", Number(parse.GetValue(variants)), StringComparison.Ordinal)
                .Replace("{populations}", Number(parse.GetValue(populations)), StringComparison.Ordinal)
                .Replace("{seed}", seedValue.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Directory.CreateDirectory(directory);
            string file = Path.Join(directory, FileName);
            if (!File.Exists(file) || File.ReadAllText(file) != text)
            {
                File.WriteAllText(file, text);
            }
            await PipelineExecution.RunAsync(parse, PipelineFile.Load(file), directory, parse.GetValue(force) ?? [], cancellationToken);
            using Dataset cohort = Dataset.Open(Path.Join(directory, "inputs", "cohort", "dataset"));
            GenotypeSummary summary = ProgressReporter.Run("summary", progress => GenotypeSummary.Compute(cohort, progress, cancellationToken));
            summary.Print(Console.Out);
            Console.WriteLine($"pipeline finished; run directory {directory}");
            return CommandRunner.Ok;
        });
        return command;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Template()
    {
        using Stream stream = typeof(PipelineCommand).Assembly.GetManifestResourceStream("quickstart.yaml") ?? throw new InvalidOperationException("the built-in pipeline is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
