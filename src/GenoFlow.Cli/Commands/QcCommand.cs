using System.CommandLine;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Results;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;

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
        ResultStoreOptions.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            var thresholds = new QcThresholds(parse.GetValue(maf), parse.GetValue(maxMissing), parse.GetValue(hwe), parse.GetValue(sampleMaxMissing));
            thresholds.Validate();
            ResultStoreSettings resultStore = ResultStoreOptions.SettingsOf(parse);
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            string directory = parse.GetValue(output)!;
            var request = new QcStage.Request(opened, thresholds, parse.GetValue(format) == "parquet" ? QcFormat.Parquet : QcFormat.Tsv);
            await StageCommand.RunAsync(parse, "qc", directory, context => QcStage.RunAsync(context, request), result => QcStage.Report(result, directory), cancellationToken, resultStore: resultStore);
            return CommandRunner.Ok;
        });
        return command;
    }
}
