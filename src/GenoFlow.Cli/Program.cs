using System.CommandLine;

var root = new RootCommand("GenoFlow: distributed dataflow engine for population-scale genotype data");
var outOpt = new Option<DirectoryInfo>("--out") { Description = "output", Required = true };
var cmd = new Command("simulate", "simulate a cohort") { outOpt };
cmd.SetAction(pr => { Console.WriteLine(pr.GetValue(outOpt)); return 0; });
root.Subcommands.Add(cmd);
return root.Parse(args).Invoke();
