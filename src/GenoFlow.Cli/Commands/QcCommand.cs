using System.CommandLine;
using GenoFlow.Analysis.Qc;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;
using GenoFlow.Engine.Hosting;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow qc</c>: per-variant and per-sample genotype counts, HWE exact test and filters, as PLINK 2 computes them.</summary>
internal static class QcCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "GenoFlow dataset directory" };
        var output = new Option<string>("--out") { Description = "Output directory: variant_qc, sample_qc, variants.keep, samples.keep, qc_filter.json", Required = true };
        var format = new Option<string>("--format") { Description = "Table format", DefaultValueFactory = _ => "tsv" };
        format.AcceptOnlyFromAmong("tsv", "parquet");
        var maf = new Option<double?>("--maf") { Description = "Fail variants with minor allele frequency below X (plink2 --maf)" };
        var maxMissing = new Option<double?>("--max-missing") { Description = "Fail variants with missing rate above X (plink2 --geno)" };
        var hwe = new Option<double?>("--hwe") { Description = "Fail variants with HWE exact-test p below P (plink2 --hwe)" };
        var sampleMaxMissing = new Option<double?>("--sample-max-missing") { Description = "Fail samples with missing rate above X (plink2 --mind); applied first" };
        var command = new Command("qc", "Variant and sample QC (counts, call rates, allele frequencies, HWE) with optional filters")
        {
            dataset, output, format, maf, maxMissing, hwe, sampleMaxMissing,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            var thresholds = new QcThresholds(parse.GetValue(maf), parse.GetValue(maxMissing), parse.GetValue(hwe), parse.GetValue(sampleMaxMissing));
            thresholds.Validate();
            var clock = Stopwatch.StartNew();
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            await using IClusterSession session = await JobExecution.StartAsync(parse, cancellationToken);
            QcResult result = await ProgressReporter.RunAsync("qc", progress => QualityControl.RunAsync(session.Executor, opened, thresholds, progress, cancellationToken));
            string directory = parse.GetValue(output)!;
            QcOutput.Write(result, directory, parse.GetValue(format) == "parquet" ? QcFormat.Parquet : QcFormat.Tsv);
            Print(result.Summary, thresholds, directory);
            double genotypes = (double)result.Summary.Samples * result.Summary.Variants;
            Console.WriteLine(JobExecution.DescribeSpread(session));
            Console.WriteLine($"qc of {genotypes:N0} genotypes in {clock.Elapsed.TotalSeconds:F1} s ({genotypes / clock.Elapsed.TotalSeconds / 1e6:F0} M genotypes/s)");
            return CommandRunner.Ok;
        });
        return command;
    }

    public static void Print(QcSummary summary, QcThresholds thresholds, string directory)
    {
        Console.WriteLine($"samples:  {summary.SamplesPassing:N0} of {summary.Samples:N0} pass{Filter(thresholds.SampleMaxMissing, $"; {summary.SamplesFailingMissing:N0} fail --sample-max-missing {thresholds.SampleMaxMissing}")}");
        Console.WriteLine($"variants: {summary.VariantsPassing:N0} of {summary.Variants:N0} pass"
            + Filter(thresholds.Maf, $"; {summary.VariantsFailingMaf:N0} fail --maf {thresholds.Maf}")
            + Filter(thresholds.MaxMissing, $"; {summary.VariantsFailingMissing:N0} fail --max-missing {thresholds.MaxMissing}")
            + Filter(thresholds.Hwe, $"; {summary.VariantsFailingHwe:N0} fail --hwe {thresholds.Hwe}"));
        Console.WriteLine($"tables and keep lists in {directory}");
    }

    private static string Filter(double? threshold, string text) => threshold is null ? "" : text;
}
