using System.CommandLine;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Formats.Pgen;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow export</c>: a dataset back to PLINK 1 bed/bim/fam, PLINK 2 pgen/pvar/psam or VCF.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "GenoFlow dataset directory" };
        var bed = new Option<string>("--bed") { Description = "Write PREFIX.bed/.bim/.fam" };
        var pfile = new Option<string>("--pfile") { Description = "Write PREFIX.pgen/.pvar/.psam (PLINK 2, fixed-width hard calls)" };
        var vcf = new Option<string>("--vcf") { Description = "Write a VCF (BGZF-compressed when the name ends in .gz)" };
        var command = new Command("export", "Export a GenoFlow dataset to PLINK 1 bed, PLINK 2 pgen or VCF") { dataset, bed, pfile, vcf };
        command.Validators.Add(result =>
        {
            if (new Option[] { bed, pfile, vcf }.Count(o => result.GetResult(o) is not null) != 1)
            {
                result.AddError("give exactly one output: --bed PREFIX, --pfile PREFIX or --vcf FILE");
            }
        });
        command.SetWork((parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            using Dataset source = Dataset.Open(parse.GetValue(dataset)!);
            using IGenotypeReader reader = source.OpenRowReader();
            string? bedPrefix = parse.GetValue(bed);
            string? pfilePrefix = parse.GetValue(pfile);
            string target = bedPrefix ?? pfilePrefix ?? parse.GetValue(vcf)!;
            using IGenotypeWriter writer = bedPrefix is not null ? BedWriter.Create(bedPrefix, reader.Samples)
                : pfilePrefix is not null ? PgenWriter.Create(pfilePrefix, reader.Samples)
                : VcfWriter.Create(target, reader.Samples);
            long variants = ProgressReporter.Run("export", progress => GenotypeCopy.CopyAll(reader, writer, progress, cancellationToken));
            Console.WriteLine($"exported {reader.Samples.Count:N0} samples x {variants:N0} variants to {target} in {clock.Elapsed.TotalSeconds:F1} s");
            return CommandRunner.Ok;
        });
        return command;
    }
}
