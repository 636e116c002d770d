using System.CommandLine;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Stages;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow pca</c>: principal components of the HWE-normalised genotype matrix, on PLINK 2's eigenvalue scale.</summary>
internal static class PcaCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "GenoFlow dataset directory" };
        var k = new Option<int>("-k") { Description = "Number of principal components", Required = true };
        var output = new Option<string>("--out") { Description = "Output directory: eigenvalues.tsv, scores.tsv, loadings.parquet, model.json", Required = true };
        var keepQc = new Option<string?>("--keep-qc") { Description = "Use only the variants and samples a `genoflow qc` run kept (its --out directory)" };
        var extract = new Option<FileInfo?>("--extract") { Description = "Use only the variants whose IDs this file lists (one per line)" };
        var method = new Option<string>("--method") { Description = "randomized (block Krylov) or exact (full GRM; at most 20,000 samples)", DefaultValueFactory = _ => "randomized" };
        method.AcceptOnlyFromAmong("randomized", "exact");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the randomized start", DefaultValueFactory = _ => 1UL };
        var tolerance = new Option<double>("--tolerance") { Description = "Stopping rule: a PC in the noise bulk is done when its Ritz value changes by at most this, relatively, in an iteration; any PC when its relative Ritz residual is at most a hundredth of it", DefaultValueFactory = _ => new PcaSettings(1).Tolerance };
        var oversampling = new Option<int>("--oversampling") { Description = "Columns beyond K in the randomized iteration (l = K + this, rounded up to a multiple of 8)", DefaultValueFactory = _ => 10 };
        var maxIterations = new Option<int>("--max-iterations") { Description = "Iteration limit of the randomized method", DefaultValueFactory = _ => 200 };
        var warmStart = new Option<string?>("--warm-start") { Description = "A previous fit's output directory (e.g. the previous release's PCA): the samples' projections onto it start the randomized iteration, so a refit after a release needs fewer iterations" };
        var command = new Command("pca", "Principal components of the HWE-normalised genotypes (eigenvalues on the GRM scale, as plink2 --pca)")
        {
            dataset, k, output, keepQc, extract, method, seed, tolerance, oversampling, maxIterations, warmStart,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            var settings = new PcaSettings(parse.GetValue(k), parse.GetValue(method) == "exact" ? PcaMethod.Exact : PcaMethod.Randomized, parse.GetValue(seed),
                Oversampling: parse.GetValue(oversampling), Tolerance: parse.GetValue(tolerance), MaxIterations: parse.GetValue(maxIterations));
            settings.Validate();
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            string? qcDirectory = parse.GetValue(keepQc);
            FileInfo? extractFile = parse.GetValue(extract);
            DatasetSelection selection = SelectionOptions.Load(opened, qcDirectory, extractFile);
            if (parse.GetValue(warmStart) is not null && settings.Method == PcaMethod.Exact)
            {
                throw new CliUsageException("--warm-start applies to the randomized method only");
            }
            Projection.Model? previous = parse.GetValue(warmStart) is { } warmDirectory ? Projection.Model.Load(warmDirectory) : null;
            var request = new PcaStage.Request(opened, settings, selection, qcDirectory, extractFile?.FullName, previous);
            PcaStage.Result result = await StageCommand.RunAsync(parse, "pca", parse.GetValue(output)!, context => PcaStage.RunAsync(context, request), PcaStage.Report, cancellationToken, PcaStage.Warning);
            if (parse.GetValue(CommandRunner.Verbose))
            {
                foreach (string line in result.Pca.Timings.Describe())
                {
                    await Console.Error.WriteLineAsync(line);
                }
            }
            return CommandRunner.Ok;
        });
        return command;
    }
}
