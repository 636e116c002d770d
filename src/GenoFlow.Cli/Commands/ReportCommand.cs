using System.CommandLine;
using GenoFlow.Analysis.Reports;
using GenoFlow.Cli.CommandLine;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow report RUN_DIR</c>: the run's HTML report (the report stage), written again from the run directory's files.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var runDirectory = new Argument<string>("RUN_DIR") { Description = "Run directory of `genoflow run` or `genoflow pipeline` (holds run.json)" };
        var output = new Option<string?>("--out") { Description = $"HTML file to write (default: RUN_DIR/{ReportStage.StepName}/{ReportStage.FileName}, where the pipeline writes it)" };
        var maxPoints = new Option<int?>("--max-points") { Description = "Points one plot draws at most (its series share them); above it a seeded random subsample, said on the plot (default 10000)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of those subsamples (default 1)" };
        var command = new Command("report", "Write a run directory's report: one self-contained HTML page with a section and plots per stage that ran")
        {
            runDirectory, output, maxPoints, seed,
        };
        command.SetWork((parse, _) =>
        {
            string run = parse.GetValue(runDirectory)!;
            var defaults = new ReportStage.Settings();
            int points = parse.GetValue(maxPoints) ?? defaults.MaxPoints;
            if (points < 100)
            {
                throw new CliUsageException($"--max-points must be at least 100 (got {points})");
            }
            var settings = new ReportStage.Settings(points, parse.GetValue(seed) ?? defaults.Seed);
            ReportStage.Result result = ReportStage.Write(run, parse.GetValue(output) ?? Path.Join(run, ReportStage.StepName, ReportStage.FileName), settings);
            foreach (string line in ReportStage.Report(result))
            {
                Console.WriteLine(line);
            }
            return CommandRunner.Ok;
        });
        return command;
    }
}
