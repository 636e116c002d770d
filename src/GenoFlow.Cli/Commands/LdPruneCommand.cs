using System.CommandLine;
using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Results;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow ld-prune</c>: windowed greedy r² pruning, as <c>plink2 --indep-pairwise</c>.</summary>
internal static class LdPruneCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "GenoFlow dataset directory" };
        var output = new Option<string>("--out") { Description = "Output directory: prune.in, prune.out", Required = true };
        var windowVariants = new Option<int?>("--window-variants") { Description = "Window size in variants (default 50)" };
        var windowKb = new Option<int?>("--window-kb") { Description = "Window size in kb instead (then --step must be 1)" };
        var step = new Option<int?>("--step") { Description = "Window step in variants (default 5; 1 with --window-kb)" };
        var r2 = new Option<double>("--r2") { Description = "Prune pairs with r² above this", DefaultValueFactory = _ => 0.5 };
        var keepQc = new Option<string?>("--keep-qc") { Description = "QC output directory: only its kept variants take part and only its kept samples count" };
        var command = new Command("ld-prune", "LD pruning as plink2 --indep-pairwise: prune.in / prune.out")
        {
            dataset, output, windowVariants, windowKb, step, r2, keepQc,
        };
        JobExecution.AddOptions(command);
        ResultStoreOptions.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            int? kb = parse.GetValue(windowKb);
            if (kb is not null && parse.GetValue(windowVariants) is not null)
            {
                throw new CliUsageException("give --window-variants or --window-kb, not both");
            }
            var settings = LdPruneSettings.Of(parse.GetValue(windowVariants), kb, parse.GetValue(step), parse.GetValue(r2));
            settings.Validate();
            ResultStoreSettings resultStore = ResultStoreOptions.SettingsOf(parse);
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            string? qcDirectory = parse.GetValue(keepQc);
            DatasetSelection selection = qcDirectory is null ? DatasetSelection.All : DatasetSelection.Kept(QcFilter.Load(qcDirectory, opened), opened);
            string directory = parse.GetValue(output)!;
            var request = new LdPruneStage.Request(opened, settings, selection);
            await StageCommand.RunAsync(parse, "ld-prune", directory, context => LdPruneStage.RunAsync(context, request), result => LdPruneStage.Report(result, directory), cancellationToken, resultStore: resultStore);
            return CommandRunner.Ok;
        });
        return command;
    }
}
