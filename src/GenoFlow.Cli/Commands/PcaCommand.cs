using System.CommandLine;
using System.Globalization;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Qc;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;
using GenoFlow.Engine.Hosting;

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
        var tolerance = new Option<double>("--tolerance") { Description = "Stop when no top-K Ritz value changes by more than this, relatively, in an iteration", DefaultValueFactory = _ => new PcaSettings(1).Tolerance };
        var oversampling = new Option<int>("--oversampling") { Description = "Columns beyond K in the randomized iteration (l = K + this, rounded up to a multiple of 8)", DefaultValueFactory = _ => 10 };
        var maxIterations = new Option<int>("--max-iterations") { Description = "Iteration limit of the randomized method", DefaultValueFactory = _ => 200 };
        var command = new Command("pca", "Principal components of the HWE-normalised genotypes (eigenvalues on the GRM scale, as plink2 --pca)")
        {
            dataset, k, output, keepQc, extract, method, seed, tolerance, oversampling, maxIterations,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            var settings = new PcaSettings(parse.GetValue(k), parse.GetValue(method) == "exact" ? PcaMethod.Exact : PcaMethod.Randomized, parse.GetValue(seed),
                Oversampling: parse.GetValue(oversampling), Tolerance: parse.GetValue(tolerance), MaxIterations: parse.GetValue(maxIterations));
            try
            {
                settings.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
            }
            var clock = Stopwatch.StartNew();
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            await using IClusterSession session = await JobExecution.StartAsync(parse, cancellationToken);
            await RunAsync(session, opened, settings, parse.GetValue(keepQc), parse.GetValue(extract)?.FullName, parse.GetValue(output)!, cancellationToken);
            Console.WriteLine($"pca in {clock.Elapsed.TotalSeconds:F1} s");
            return CommandRunner.Ok;
        });
        return command;
    }

    /// <summary>The job behind the command (and the pipeline's stage): PCA, the tables, a report.</summary>
    public static async Task<PcaResult> RunAsync(IClusterSession session, Dataset dataset, PcaSettings settings, string? qcDirectory, string? extractFile, string directory, CancellationToken cancellationToken)
    {
        var (variantKeep, sampleKeep) = Filters(dataset, qcDirectory, extractFile is null ? null : new FileInfo(extractFile));
        ScratchStore store = PcaOutput.CreateScratch(directory);
        try
        {
            PcaResult result = await ProgressReporter.RunAsync("pca", progress =>
                PrincipalComponents.RunAsync(session.Executor, dataset, settings, store, variantKeep, sampleKeep, progress, cancellationToken));
            PcaOutput.Write(result, dataset, directory, qcDirectory, extractFile);
            if (!result.Converged)
            {
                await Console.Error.WriteLineAsync($"genoflow: warning: the top-{result.K} Ritz values did not converge to --tolerance {settings.Tolerance} within --max-iterations {settings.MaxIterations}; model.json records converged: false");
            }
            Console.WriteLine($"{result.K} principal components of {result.SampleKept.Count(x => x):N0} samples x {result.VariantsUsed:N0} variants ({settings.Method.ToString().ToLowerInvariant()}{(settings.Method == PcaMethod.Randomized ? $", {result.Iterations} iterations" : "")})");
            for (int pc = 0; pc < result.K; pc++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PC{pc + 1}\t{result.Eigenvalues[pc]:G6}\t{result.Eigenvalues[pc] / result.Trace:P2}"));
            }
            Console.WriteLine(JobExecution.DescribeSpread(session));
            Console.WriteLine($"tables in {directory}");
            return result;
        }
        finally
        {
            store.Delete();
        }
    }

    public static (bool[]? Variants, bool[]? Samples) Filters(Dataset dataset, string? qcDirectory, FileInfo? extract)
    {
        bool[]? variants = null;
        bool[]? samples = null;
        if (qcDirectory is not null)
        {
            QcFilter filter = QcFilter.Load(qcDirectory, dataset);
            variants = new bool[dataset.VariantCount];
            foreach (long v in filter.VariantIndices)
            {
                variants[v] = true;
            }
            samples = new bool[dataset.SampleCount];
            foreach (int s in filter.SampleIndices)
            {
                samples[s] = true;
            }
        }
        if (extract is not null)
        {
            if (!extract.Exists)
            {
                throw new CliUsageException($"--extract {extract.FullName}: no such file");
            }
            var ids = File.ReadLines(extract.FullName).Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
            var listed = new bool[dataset.VariantCount];
            long index = 0;
            foreach (VariantInfo variant in dataset.ReadVariants())
            {
                listed[index] = ids.Contains(variant.Id) && (variants is null || variants[index]);
                index++;
            }
            variants = listed;
        }
        return (variants, samples);
    }
}
