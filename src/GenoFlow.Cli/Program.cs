using System.CommandLine;
using GenoFlow.Cli.Commands;
using GenoFlow.Cli.CommandLine;

var root = new RootCommand("GenoFlow: a distributed dataflow engine for population-scale genotype data")
{
    PipelineCommand.Create(),
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
    NodeCommand.Create(),
    CertCommand.Create(),
    InfoCommand.Create(),
};
root.Options.Add(CommandRunner.Verbose);
return await root.Parse(args).InvokeAsync();
