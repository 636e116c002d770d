using System.CommandLine;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.KMeans;
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
/// summarise it, QC it, LD-prune the QC-passing variants, PCA on what is left, k-means of the PCA scores (K = the number of
/// simulated populations). Training joins here when it is built.
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
        var command = new Command("pipeline", "Run the whole pipeline on a simulated cohort: simulate, import, summarise, QC, LD prune, PCA, k-means") { workDirectory, samples, variants, populations, seed };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            string directory = parse.GetValue(workDirectory)!.FullName;
            var settings = new CohortSettings(parse.GetValue(samples), parse.GetValue(variants), parse.GetValue(populations), Seed: parse.GetValue(seed));
            var clock = Stopwatch.StartNew();

            Console.WriteLine("== 1/7 simulate");
            string cohortDirectory = Path.Combine(directory, "cohort");
            SimulateCommand.Simulate(settings, cohortDirectory, writeBed: true, writeVcf: false, cancellationToken);

            Console.WriteLine("== 2/7 import");
            string datasetPath = Path.Combine(directory, "dataset");
            using (BedReader reader = BedReader.Open(Path.Combine(cohortDirectory, SimulateCommand.CohortName)))
            {
                ImportCommand.Import(reader, datasetPath, new DatasetWriteOptions(Release: "simulated"), cancellationToken);
            }

            Console.WriteLine("== 3/7 summary");
            using Dataset dataset = Dataset.Open(datasetPath);
            GenotypeSummary summary = ProgressReporter.Run("summary", progress => GenotypeSummary.Compute(dataset, progress, cancellationToken));
            summary.Print(Console.Out);

            Console.WriteLine("== 4/7 qc");
            await using IClusterSession session = await JobExecution.StartAsync(parse, cancellationToken);
            var thresholds = new QcThresholds(Maf: 0.01, MaxMissing: 0.05, Hwe: 1e-10, SampleMaxMissing: 0.05);
            QcResult qc = await ProgressReporter.RunAsync("qc", progress => QualityControl.RunAsync(session.Executor, dataset, thresholds, progress, cancellationToken));
            QcOutput.Write(qc, Path.Combine(directory, "qc"), QcFormat.Tsv);
            QcCommand.Print(qc.Summary, thresholds, Path.Combine(directory, "qc"));

            Console.WriteLine("== 5/7 ld-prune (QC-passing variants and samples)");
            string qcDirectory = Path.Combine(directory, "qc");
            string ldDirectory = Path.Combine(directory, "ld");
            await LdPruneCommand.RunAsync(session, dataset, new LdPruneSettings(), QcFilter.Load(qcDirectory, dataset), ldDirectory, cancellationToken);

            Console.WriteLine("== 6/7 pca (10 PCs of the pruned variants and QC-passing samples)");
            await PcaCommand.RunAsync(session, dataset, new PcaSettings(10, Seed: parse.GetValue(seed)), qcDirectory, Path.Combine(ldDirectory, LdPruneOutput.InFileName), Path.Combine(directory, "pca"), cancellationToken);
            Console.WriteLine($"== 7/7 kmeans (K = {settings.Populations} on the PCA scores)");
            await KMeansCommand.RunAsync(session, Path.Combine(directory, "pca", PcaOutput.ScoresFile), null, [new KMeansSettings(settings.Populations, Seed: parse.GetValue(seed))],
                KMeansSettings.DefaultRowsPerShard, Path.Combine(directory, "kmeans"), cancellationToken);
            Console.WriteLine($"pipeline finished in {clock.Elapsed.TotalSeconds:F1} s; dataset at {datasetPath}");
            return CommandRunner.Ok;
        });
        return command;
    }
}
