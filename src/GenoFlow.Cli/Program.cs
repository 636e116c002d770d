using System.CommandLine;
using GenoFlow.Cli.Commands;
using GenoFlow.Cli.CommandLine;

var root = new RootCommand("GenoFlow: a distributed dataflow engine for population-scale genotype data")
{
    PipelineCommand.Create(),
    RunCommand.Create(),
    WatchCommand.Create(),
    SimulateCommand.Create(),
    ImportCommand.Create(),
    ExportCommand.Create(),
    QcCommand.Create(),
    LdPruneCommand.Create(),
    PcaCommand.Create(),
    ProjectCommand.Create(),
    KMeansCommand.Create(),
    TrainCommand.Create(),
    PredictCommand.Create(),
    ReportCommand.Create(),
    NodeCommand.Create(),
    StatusCommand.Create(),
    CertCommand.Create(),
    InfoCommand.Create(),
    ReleasesCommand.Create(),
};
root.Options.Add(CommandRunner.Verbose);
// Ctrl-C / SIGTERM cancel the command, which then exits 130 with no output; leaving a cluster can take several
// seconds, so the command gets that long before System.CommandLine ends the process itself.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
