using System.CommandLine;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Cli.Reports;
using GenoFlow.Core.Formats.Bgen;
using GenoFlow.Core.Formats.Pgen;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow import</c>: PLINK 1 bed/bim/fam, VCF, BGEN or PLINK 2 pgen into a GenoFlow dataset, streaming.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var bed = new Option<string>("--bed") { Description = "PLINK 1 fileset prefix (PREFIX.bed/.bim/.fam, SNP-major)" };
        var vcf = new Option<string[]>("--vcf") { Description = "VCF file (plain, gzip or BGZF); repeat for several files of the same samples, read in the order given" };
        var bgen = new Option<string>("--bgen") { Description = "BGEN file (v1.1, v1.2 or v1.3; first allele REF); probabilities become hard calls as plink2 makes them" };
        var pfile = new Option<string>("--pfile") { Description = "PLINK 2 fileset prefix (PREFIX.pgen, PREFIX.pvar or PREFIX.pvar.zst, PREFIX.psam); hard calls" };
        var sample = new Option<string>("--sample") { Description = "Oxford .sample file (v1 or v2) naming the BGEN's samples; must agree with the BGEN's own sample block if it has one" };
        var hardCall = new Option<double>("--hard-call-threshold") { Description = "BGEN: a call is missing when its dosage is farther than this from the nearest genotype (plink2's rule)", DefaultValueFactory = _ => HardCallRule.DefaultThreshold };
        var output = new Option<string>("--out") { Description = "Dataset directory to create or replace atomically (a replaced dataset starts a new release history)" };
        var appendTo = new Option<string>("--append-to") { Description = "Existing dataset to add the input to as a new release (new samples at its variants; see --add-variants, --replace-samples); needs --release" };
        var addVariants = new Option<bool>("--add-variants") { Description = "With --append-to: input variants the dataset lacks become new regions for all samples (missing where the input has no calls); otherwise they are ignored and counted" };
        var replaceSamples = new Option<bool>("--replace-samples") { Description = "With --append-to: input samples already in the dataset replace their calls (their tiles are rewritten); otherwise they are refused" };
        var defaults = new DatasetWriteOptions();
        var variantsPerTile = new Option<int>("--variants-per-tile") { Description = "Variants per tile (region size)", DefaultValueFactory = _ => defaults.VariantsPerTile };
        var samplesPerTile = new Option<int>("--samples-per-tile") { Description = "Samples per tile (sample block size, a multiple of 4)", DefaultValueFactory = _ => defaults.SamplesPerTile };
        var release = new Option<string>("--release") { Description = "Release label stored in the manifest (default: the input file's name; required with --append-to); DATASET@LABEL opens an earlier release" };

        var maxLine = new Option<int>("--max-line-mb") { Description = "Longest VCF line accepted, in MiB; bounds import memory whatever a compressed input inflates to", DefaultValueFactory = _ => (int)(VcfReader.DefaultMaxLineBytes >> 20) };
        var command = new Command("import", "Import PLINK 1 bed, VCF, BGEN or PLINK 2 pgen into a GenoFlow dataset") { bed, vcf, bgen, pfile, sample, hardCall, output, appendTo, addVariants, replaceSamples, variantsPerTile, samplesPerTile, release, maxLine };
        command.Validators.Add(result =>
        {
            int inputs = new Option[] { bed, vcf, bgen, pfile }.Count(o => result.GetResult(o) is not null);
            if (inputs != 1)
            {
                result.AddError("give exactly one input: --bed PREFIX, --vcf FILE [--vcf FILE ...], --bgen FILE or --pfile PREFIX");
            }
            bool appending = result.GetResult(appendTo) is not null;
            if ((result.GetResult(output) is not null) == appending)
            {
                result.AddError("give exactly one of --out DATASET (a new or replaced dataset) and --append-to DATASET (a new release of it)");
            }
            if (appending && result.GetResult(release) is null)
            {
                result.AddError("--append-to needs --release LABEL to name the new release");
            }
            if (appending && new Option[] { variantsPerTile, samplesPerTile }.Any(o => result.GetResult(o) is { Implicit: false }))
            {
                result.AddError("--variants-per-tile and --samples-per-tile cannot be given with --append-to: a release keeps its dataset's tile sizes");
            }
            if (!appending && new Option[] { addVariants, replaceSamples }.Any(o => result.GetResult(o) is { Implicit: false }))
            {
                result.AddError("--add-variants and --replace-samples apply to --append-to only");
            }
            if (result.GetResult(bgen) is null && (result.GetResult(sample) is not null || result.GetResult(hardCall) is { Implicit: false }))
            {
                result.AddError("--sample and --hard-call-threshold apply to --bgen only");
            }
            if (result.GetValue(hardCall) is var t && !(t >= 0 && t < 0.5))
            {
                result.AddError($"--hard-call-threshold must be at least 0 and below 0.5, not {t}");
            }
        });
        command.SetWork((parse, cancellationToken) =>
        {
            string? bedPrefix = parse.GetValue(bed);
            string? bgenFile = parse.GetValue(bgen);
            string? pfilePrefix = parse.GetValue(pfile);
            string[] vcfFiles = parse.GetValue(vcf) ?? [];
            string source = Path.GetFileName(bedPrefix ?? bgenFile ?? pfilePrefix ?? vcfFiles[0]);
            var options = new DatasetWriteOptions(parse.GetValue(variantsPerTile), parse.GetValue(samplesPerTile), parse.GetValue(release) ?? source);
            if (ReleaseLabel.Problem(options.Release) is { } labelProblem)
            {
                throw new CliUsageException($"--release: {labelProblem}");
            }
            try
            {
                options.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                // The options record names its property; the user gave a flag.
                string flag = e.ParamName == nameof(DatasetWriteOptions.SamplesPerTile) ? "--samples-per-tile" : "--variants-per-tile";
                throw new CliUsageException($"{flag} {e.ActualValue}: {e.Message.Split(Environment.NewLine)[0].Split(" (Parameter", 2)[0]}");
            }
            using IGenotypeReader reader = bedPrefix is not null ? BedReader.Open(bedPrefix)
                : bgenFile is not null ? BgenReader.Open(bgenFile, parse.GetValue(sample), parse.GetValue(hardCall))
                : pfilePrefix is not null ? PgenReader.Open(pfilePrefix)
                : VcfReader.Open(vcfFiles, MaxLineBytes(parse.GetValue(maxLine)));
            if (parse.GetValue(appendTo) is { } dataset)
            {
                var append = new AppendOptions(options.Release, parse.GetValue(addVariants), parse.GetValue(replaceSamples));
                ReleaseReport.Print(dataset, ReleaseAppender.Append(dataset, append, (staging, write) => Import(reader, staging, write, cancellationToken, quiet: true), ProgressReporter.LogLines("release"), cancellationToken));
                return CommandRunner.Ok;
            }
            Import(reader, parse.GetValue(output)!, options, cancellationToken);
            return CommandRunner.Ok;
        });
        return command;
    }

    private static long MaxLineBytes(int megabytes) =>
        megabytes > 0 ? megabytes * (1L << 20) : throw new CliUsageException("--max-line-mb must be positive");

    public static void Import(IGenotypeReader reader, string datasetPath, DatasetWriteOptions options, CancellationToken cancellationToken, bool quiet = false)
    {
        var clock = Stopwatch.StartNew();
        long variants;
        using (DatasetWriter writer = DatasetWriter.Create(datasetPath, reader.Samples, options))
        {
            variants = ProgressReporter.Run("import", progress => GenotypeCopy.CopyAll(reader, writer, progress, cancellationToken));
        }
        if (quiet)
        {
            return;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        double genotypes = (double)variants * reader.Samples.Count;
        Console.WriteLine($"imported {reader.Samples.Count:N0} samples x {variants:N0} variants into {datasetPath} in {seconds:F1} s ({genotypes / seconds / 1e6:F0} M genotypes/s)");
    }
}
