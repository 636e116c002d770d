using System.CommandLine;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Cli.Reports;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow info</c>: what a dataset holds, and whether every file still matches its checksum.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "GenoFlow dataset directory (DATASET@LABEL for an earlier release)" };
        var command = new Command("info", "Show a dataset's counts, tile grid, contigs, release history and checksum status") { dataset };
        command.SetWork((parse, cancellationToken) =>
        {
            string path = parse.GetValue(dataset)!;
            using Dataset opened = Dataset.Open(path);
            DatasetManifest manifest = opened.Manifest;
            TextWriter output = Console.Out;
            output.WriteLine($"dataset:  {opened.Spec}");
            output.WriteLine($"release:  {manifest.Release}");
            output.WriteLine($"format:   version {manifest.FormatVersion}, generation {manifest.Generation}");
            output.WriteLine($"samples:  {opened.SampleCount:N0}");
            output.WriteLine($"variants: {opened.VariantCount:N0}");
            output.WriteLine($"tiles:    {opened.RegionCount:N0} regions x {opened.SampleBlockCount:N0} sample blocks ({manifest.VariantsPerTile:N0} variants x {manifest.SamplesPerTile:N0} samples per tile)");
            output.WriteLine("contigs:");
            foreach (var contig in manifest.Regions.GroupBy(r => r.Contig))
            {
                output.WriteLine($"  {contig.Key,-8} {contig.Sum(r => (long)r.VariantCount),12:N0} variants  {contig.Count(),6:N0} regions  positions {contig.Min(r => r.FirstPosition)}-{contig.Max(r => r.LastPosition)}");
            }
            ReleaseReport.History(output, opened);
            var checks = opened.Verify();
            var damaged = checks.Where(c => !c.IsOk).ToList();
            if (damaged.Count == 0)
            {
                output.WriteLine($"checksums: all {checks.Count:N0} files verified");
                return CommandRunner.Ok;
            }
            output.WriteLine($"checksums: {damaged.Count:N0} of {checks.Count:N0} files damaged");
            foreach (var check in damaged)
            {
                Console.Error.WriteLine($"genoflow: {Path.Combine(path, check.File)}: {check.Problem}");
            }
            return CommandRunner.Failed;
        });
        return command;
    }
}
