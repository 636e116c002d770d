using System.CommandLine;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Qc;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Cli.Reports;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;
using GenoFlow.Engine.Hosting;

namespace GenoFlow.Cli.Commands;

/// <summary>
/// <c>genoflow pipeline</c>: the main job end to end on the embedded default. Today: simulate a cohort, import it,
/// summarise it, QC it, LD-prune the QC-passing variants, PCA on what is left. Later stages (k-means, training) join here as they are built.
/// </summary>
internal static class PipelineCommand
{
    public static Command Create()
    {
        var workDirectory = new Option<DirectoryInfo>("--workdir") { Description = "Directory for the simulated cohort and the dataset", DefaultValueFactory = _ => new DirectoryInfo("genoflow-work") };
        var samples = new Option<int>("--samples") { Description = "Samples to simulate", DefaultValueFactory = _ => 2_000 };
        var variants = new Option<int>("--variants") { Description = "Variants to simulate", DefaultValueFactory = _ => 20_000 };
        var populations = new Option<int>("--populations") { Description = "Populations to simulate", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1UL };
        var command = new Command("pipeline", "Run the whole pipeline on a simulated cohort: simulate, import, summarise, QC, LD prune, PCA") { workDirectory, samples, variants, populations, seed };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            string directory = parse.GetValue(workDirectory)!.FullName;
            var settings = new CohortSettings(parse.GetValue(samples), parse.GetValue(variants), parse.GetValue(populations), Seed: parse.GetValue(seed));
            var clock = Stopwatch.StartNew();

            Console.WriteLine("== 1/6 simulate");
            string cohortDirectory = Path.Combine(directory, "cohort");
            SimulateCommand.Simulate(settings, cohortDirectory, writeBed: true, writeVcf: false, cancellationToken);

            Console.WriteLine("== 2/6 import");
            string datasetPath = Path.Combine(directory, "dataset");
            using (BedReader reader = BedReader.Open(Path.Combine(cohortDirectory, SimulateCommand.CohortName)))
            {
                ImportCommand.Import(reader, datasetPath, new DatasetWriteOptions(Release: "simulated"), cancellationToken);
            }

            Console.WriteLine("== 3/6 summary");
            using Dataset dataset = Dataset.Open(datasetPath);
            GenotypeSummary summary = ProgressReporter.Run("summary", progress => GenotypeSummary.Compute(dataset, progress, cancellationToken));
            summary.Print(Console.Out);

            Console.WriteLine("== 4/6 qc");
            await using IClusterSession session = await JobExecution.StartAsync(parse, cancellationToken);
            var thresholds = new QcThresholds(Maf: 0.01, MaxMissing: 0.05, Hwe: 1e-10, SampleMaxMissing: 0.05);
            QcResult qc = await ProgressReporter.RunAsync("qc", progress => QualityControl.RunAsync(session.Executor, dataset, thresholds, progress, cancellationToken));
            QcOutput.Write(qc, Path.Combine(directory, "qc"), QcFormat.Tsv);
            QcCommand.Print(qc.Summary, thresholds, Path.Combine(directory, "qc"));

            Console.WriteLine("== 5/6 ld-prune (QC-passing variants and samples)");
            QcFilter filter = QcFilter.Load(Path.Combine(directory, "qc"), dataset);
            var pruning = new LdPruneSettings();
            LdPruneResult pruned = await ProgressReporter.RunAsync("ld-prune", progress => LdPrune.RunAsync(session.Executor, dataset, pruning, filter, progress, cancellationToken));
            LdPruneOutput.Write(pruned, Path.Combine(directory, "ld"));
            Console.WriteLine($"ld-prune: kept {pruned.Kept:N0}, removed {pruned.RemovedCount:N0} of {pruned.Variants.Length:N0} variants ({pruning}); lists in {Path.Combine(directory, "ld")}");

            Console.WriteLine("== 6/6 pca (10 PCs of the pruned variants and QC-passing samples)");
            string pcaDirectory = Path.Combine(directory, "pca");
            var (variantKeep, sampleKeep) = PcaCommand.Filters(dataset, Path.Combine(directory, "qc"), new FileInfo(Path.Combine(directory, "ld", LdPruneOutput.InFileName)));
            var pcaSettings = new PcaSettings(10, Seed: parse.GetValue(seed));
            ScratchStore store = PcaOutput.CreateScratch(pcaDirectory);
            try
            {
                PcaResult pca = await ProgressReporter.RunAsync("pca", progress =>
                    PrincipalComponents.RunAsync(session.Executor, dataset, pcaSettings, store, variantKeep, sampleKeep, progress, cancellationToken));
                PcaOutput.Write(pca, dataset, pcaDirectory, Path.Combine(directory, "qc"), Path.Combine(directory, "ld", LdPruneOutput.InFileName));
                string top = string.Join(", ", pca.Eigenvalues.Take(3).Select((e, i) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PC{i + 1} {e:G6}")));
                Console.WriteLine($"pca: {top}, ... ({pca.Iterations} iterations); tables in {pcaDirectory}");
            }
            finally
            {
                store.Delete();
            }
            Console.WriteLine($"pipeline finished in {clock.Elapsed.TotalSeconds:F1} s; dataset at {datasetPath}");
            return CommandRunner.Ok;
        });
        return command;
    }
}
