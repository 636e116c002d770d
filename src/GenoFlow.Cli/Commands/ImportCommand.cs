using System.CommandLine;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow import</c>: PLINK 1 bed/bim/fam or VCF into a GenoFlow dataset, streaming.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var bed = new Option<string>("--bed") { Description = "PLINK 1 fileset prefix (PREFIX.bed/.bim/.fam, SNP-major)" };
        var vcf = new Option<string[]>("--vcf") { Description = "VCF file (plain, gzip or BGZF); repeat for several files of the same samples, read in the order given" };
        var output = new Option<string>("--out") { Description = "Dataset directory to create or replace atomically", Required = true };
        var defaults = new DatasetWriteOptions();
        var variantsPerTile = new Option<int>("--variants-per-tile") { Description = "Variants per tile (region size)", DefaultValueFactory = _ => defaults.VariantsPerTile };
        var samplesPerTile = new Option<int>("--samples-per-tile") { Description = "Samples per tile (sample block size, a multiple of 4)", DefaultValueFactory = _ => defaults.SamplesPerTile };
        var release = new Option<string>("--release") { Description = "Release label stored in the manifest (default: the input file's name)" };

        var maxLine = new Option<int>("--max-line-mb") { Description = "Longest VCF line accepted, in MiB; bounds import memory whatever a compressed input inflates to", DefaultValueFactory = _ => (int)(VcfReader.DefaultMaxLineBytes >> 20) };
        var command = new Command("import", "Import PLINK 1 bed or VCF into a GenoFlow dataset") { bed, vcf, output, variantsPerTile, samplesPerTile, release, maxLine };
        command.Validators.Add(result =>
        {
            bool hasBed = result.GetResult(bed) is not null;
            bool hasVcf = result.GetResult(vcf) is not null;
            if (hasBed == hasVcf)
            {
                result.AddError("give exactly one input: --bed PREFIX or --vcf FILE [--vcf FILE ...]");
            }
        });
        command.SetWork((parse, cancellationToken) =>
        {
            string? bedPrefix = parse.GetValue(bed);
            string[] vcfFiles = parse.GetValue(vcf) ?? [];
            string source = bedPrefix is not null ? Path.GetFileName(bedPrefix) : Path.GetFileName(vcfFiles[0]);
            var options = new DatasetWriteOptions(parse.GetValue(variantsPerTile), parse.GetValue(samplesPerTile), parse.GetValue(release) ?? source);
            using IGenotypeReader reader = bedPrefix is not null ? BedReader.Open(bedPrefix) : VcfReader.Open(vcfFiles, MaxLineBytes(parse.GetValue(maxLine)));
            Import(reader, parse.GetValue(output)!, options, cancellationToken);
            return CommandRunner.Ok;
        });
        return command;
    }

    private static long MaxLineBytes(int megabytes) =>
        megabytes > 0 ? megabytes * (1L << 20) : throw new CliUsageException("--max-line-mb must be positive");

    public static void Import(IGenotypeReader reader, string datasetPath, DatasetWriteOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long variants;
        using (DatasetWriter writer = DatasetWriter.Create(datasetPath, reader.Samples, options))
        {
            variants = ProgressReporter.Run("import", progress => GenotypeCopy.CopyAll(reader, writer, progress, cancellationToken));
        }
        double seconds = clock.Elapsed.TotalSeconds;
        double genotypes = (double)variants * reader.Samples.Count;
        Console.WriteLine($"imported {reader.Samples.Count:N0} samples x {variants:N0} variants into {datasetPath} in {seconds:F1} s ({genotypes / seconds / 1e6:F0} M genotypes/s)");
    }
}
