using System.CommandLine;
using Cronos;
using GenoFlow.Analysis.Releases;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Commands;

/// <summary>
/// <c>genoflow watch</c>: scheduled reprocessing. At each tick of a cron schedule (or once, with <c>--once</c>), every new
/// release input is appended to the dataset and the pipeline runs for it (<see cref="ReleaseWatcher"/>).
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var releases = new Option<string>("--releases") { Description = "Directory where release inputs arrive: a subdirectory or a file set LABEL.* per release (bed, VCF, pgen or BGEN), processed in label order", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "Dataset the releases are appended to (the first release creates it)", Required = true };
        var pipeline = new Option<FileInfo>("--pipeline") { Description = "Pipeline file run after each release; one of its inputs must be `dataset: DATASET`", Required = true };
        var schedule = new Option<string?>("--schedule") { Description = "Cron schedule of the passes, in UTC: 5 fields (minute hour day month weekday), or 6 with seconds first, e.g. \"0 3 * * *\"" };
        var once = new Option<bool>("--once") { Description = "Process what is pending now and exit (for cron or a Kubernetes CronJob)" };
        var runRoot = new Option<string>("--run-root") { Description = "Run directories (one per release, RUN_ROOT/LABEL), watch.json (state) and watch.log (a line per release)", DefaultValueFactory = _ => "watch-runs" };
        var command = new Command("watch", "Append new releases from a directory to a dataset and run a pipeline for each, on a cron schedule or once")
        {
            releases, dataset, pipeline, schedule, once, runRoot,
        };
        JobExecution.AddOptions(command);
        ResultStoreOptions.AddOptions(command);
        command.Validators.Add(result =>
        {
            if ((result.GetResult(schedule) is null) != result.GetValue(once))
            {
                result.AddError("give exactly one of --schedule \"CRON\" and --once");
            }
        });
        command.SetWork(async (parse, cancellationToken) =>
        {
            CronExpression? cron = parse.GetValue(schedule) is { } text ? ParseSchedule(text) : null;
            var settings = new WatchSettings(parse.GetValue(releases)!, parse.GetValue(dataset)!, parse.GetValue(pipeline)!.FullName, parse.GetValue(runRoot)!,
                ResultStoreOptions.SettingsOf(parse));
            using DatasetLock watchLock = ReleaseWatcher.Lock(settings.Dataset);
            await using JobSession session = await JobExecution.StartAsync(parse, settings.RunRoot, cancellationToken);
            var watcher = new ReleaseWatcher(settings, session.Executor, new ConsolePipelineLog());
            if (cron is null)
            {
                Report(await watcher.RunOnceAsync(cancellationToken));
                return CommandRunner.Ok;
            }
            while (true)
            {
                DateTime now = DateTime.UtcNow;
                DateTime next = cron.GetNextOccurrence(now, TimeZoneInfo.Utc) ?? throw new CliUsageException($"--schedule '{parse.GetValue(schedule)}' has no next occurrence");
                Console.Error.WriteLine($"watch: next pass at {next:yyyy-MM-dd HH:mm:ss} UTC");
                await Task.Delay(next - now, cancellationToken);
                try
                {
                    Report(await watcher.RunOnceAsync(cancellationToken));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A scheduled watcher outlives a failed pass: the next tick resumes the run that failed.
                    Console.Error.WriteLine($"genoflow: watch pass failed: {e.Message}; the next pass retries it");
                }
            }
        });
        return command;
    }

    private static void Report(WatchPass pass) =>
        Console.WriteLine($"watch pass: {pass.Appended} releases appended, {pass.Runs} pipeline runs completed, {pass.Failed} release inputs invalid");

    private static CronExpression ParseSchedule(string text)
    {
        try
        {
            int fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            return CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new CliUsageException($"--schedule '{text}': {e.Message}");
        }
    }
}
