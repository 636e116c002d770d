using System.CommandLine;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Cli.Reports;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow releases list|prune</c>: a dataset's release history, and forgetting old releases to free space.</summary>
internal static class ReleasesCommand
{
    public static Command Create() => new("releases", "List a dataset's releases, or prune old ones") { List(), Prune() };

    private static Command List()
    {
        var dataset = new Argument<string>("DATASET") { Description = "GenoFlow dataset directory" };
        var command = new Command("list", "Show the release history: counts, what each release added and wrote, which can still be opened as DATASET@LABEL") { dataset };
        command.SetWork((parse, _) =>
        {
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            ReleaseReport.History(Console.Out, opened);
            return CommandRunner.Ok;
        });
        return command;
    }

    private static Command Prune()
    {
        var dataset = new Argument<string>("DATASET") { Description = "GenoFlow dataset directory" };
        var keep = new Option<int>("--keep") { Description = "Releases to keep openable, newest first (the current one always stays)", Required = true };
        var command = new Command("prune", "Forget all but the newest N releases and delete the files only they used (their history lines stay)") { dataset, keep };
        command.SetWork((parse, _) =>
        {
            string path = parse.GetValue(dataset)!;
            PruneResult result = ReleasePruner.Prune(path, parse.GetValue(keep));
            Console.WriteLine(result.PrunedReleases.Count == 0
                ? $"nothing to prune in {path}: at most {parse.GetValue(keep)} releases are kept"
                : $"pruned releases {string.Join(", ", result.PrunedReleases)} of {path}: deleted {result.DeletedFiles:N0} files ({result.FreedBytes / 1e6:F1} MB)");
            return CommandRunner.Ok;
        });
        return command;
    }
}
