using System.CommandLine;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Cli.Commands;

/// <summary>
/// <c>genoflow simulate</c>: a structured cohort (Balding–Nichols) with phenotypes of known genetic architecture; with
/// <c>--model mosaic</c>, haplotype mosaics with LD, a 1/x spectrum, admixture and relatives (<see cref="MosaicSettings"/>).
/// </summary>
internal static class SimulateCommand
{
    public const string CohortName = "cohort";

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory: cohort.bed/.bim/.fam and/or cohort.vcf.gz, phenotypes.tsv, causal_variants.tsv (and omics.tsv with --omics)", Required = true };
        var samples = new Option<int>("--samples") { Description = "Number of samples", Required = true };
        var variants = new Option<int>("--variants") { Description = "Number of variants", Required = true };
        var populations = new Option<int>("--populations") { Description = "Number of populations", DefaultValueFactory = _ => 3 };
        var fst = new Option<double>("--fst") { Description = "Differentiation F of each population from the ancestral frequencies (Balding–Nichols)", DefaultValueFactory = _ => 0.1 };
        var missingRate = new Option<double>("--missing-rate") { Description = "Probability that a genotype is missing", DefaultValueFactory = _ => 0.01 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed: the same seed gives the same bytes", DefaultValueFactory = _ => 1UL };
        var format = new Option<string>("--format") { Description = "What to write", DefaultValueFactory = _ => "bed" };
        format.AcceptOnlyFromAmong("bed", "vcf", "both");
        var chromosomes = new Option<int>("--chromosomes") { Description = "Number of chromosomes the variants are spread over", DefaultValueFactory = _ => 22 };
        var causal = new Option<int>("--causal-variants") { Description = "Number of causal variants behind the simulated traits", DefaultValueFactory = _ => 100 };
        var heritability = new Option<double>("--heritability") { Description = "Share of trait variance explained by the causal variants", DefaultValueFactory = _ => 0.5 };
        var prevalence = new Option<double>("--prevalence") { Description = "Share of cases in the binary trait", DefaultValueFactory = _ => 0.2 };

        var batch = new Option<int>("--batch") { Description = "A further batch of participants: same variants, frequencies and effects as batch 0 of the seed, new samples (ids b{B}_...)", DefaultValueFactory = _ => 0 };
        var causalBlock = new Option<int>("--causal-block") { Description = "Causal variants come in runs of this many adjacent variants (1: scattered)", DefaultValueFactory = _ => 1 };
        var model = new Option<string>("--model") { Description = "independent: every variant drawn on its own (no LD); mosaic: haplotypes copied from population pools (LD, 1/x spectrum, admixture, relatives)", DefaultValueFactory = _ => "independent" };
        model.AcceptOnlyFromAmong("independent", "mosaic");
        var mosaic = new SimulateMosaicOptions();

        var omics = new Option<int>("--omics") { Description = "Also write omics.tsv: this many expression-like features per sample (a third driven by the causal variants, a third by trait_q, a third noise)", DefaultValueFactory = _ => 0 };
        var command = new Command("simulate", "Simulate a structured cohort with phenotypes")
        {
            output, samples, variants, populations, fst, missingRate, seed, format, chromosomes, causal, heritability, prevalence, causalBlock, model, batch, omics,
        };
        mosaic.AddTo(command);
        command.SetWork((parse, cancellationToken) =>
        {
            var settings = new CohortSettings(
                Samples: parse.GetValue(samples),
                Variants: parse.GetValue(variants),
                Populations: parse.GetValue(populations),
                Fst: parse.GetValue(fst),
                MissingRate: parse.GetValue(missingRate),
                Seed: parse.GetValue(seed),
                Chromosomes: parse.GetValue(chromosomes),
                CausalVariants: parse.GetValue(causal),
                Heritability: parse.GetValue(heritability),
                Prevalence: parse.GetValue(prevalence))
            {
                CausalBlockSize = parse.GetValue(causalBlock),
                Batch = parse.GetValue(batch),
                Omics = parse.GetValue(omics),
                Mosaic = mosaic.Read(parse, parse.GetValue(model) == "mosaic"),
            };
            Validate(settings, parse, mosaic);
            string directory = parse.GetValue(output)!.FullName;
            string what = parse.GetValue(format)!;
            Simulate(settings, directory, writeBed: what is "bed" or "both", writeVcf: what is "vcf" or "both", cancellationToken);
            return CommandRunner.Ok;
        });
        return command;
    }

    /// <summary>Settings errors as one line naming the option: "--fst: Fst must be in [0, 1) (got 1)".</summary>
    private static void Validate(CohortSettings settings, ParseResult parse, SimulateMosaicOptions mosaic)
    {
        try
        {
            settings.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            string option = parse.CommandResult.Command.Options.Select(o => o.Name)
                .FirstOrDefault(name => string.Equals(name.Replace("-", "", StringComparison.Ordinal), e.ParamName, StringComparison.OrdinalIgnoreCase))
                ?? mosaic.OptionFor(e.ParamName) ?? e.ParamName ?? "simulate";
            string message = e.Message.Split(" (Parameter '")[0];
            throw new CliUsageException($"{option}: {message} (got {e.ActualValue})");
        }
    }

    public static void Simulate(CohortSettings settings, string directory, bool writeBed, bool writeVcf, CancellationToken cancellationToken)
    {
        var simulator = new CohortSimulator(settings);
        bool created = !Directory.Exists(directory);
        Directory.CreateDirectory(directory);
        bool written = false;
        var decay = new LdDecay(settings.Samples, settings.Variants);
        var writers = new List<IGenotypeWriter> { decay };
        try
        {
            if (writeBed)
            {
                writers.Add(BedWriter.Create(Path.Combine(directory, CohortName), simulator.Samples));
            }
            if (writeVcf)
            {
                writers.Add(VcfWriter.Create(Path.Combine(directory, CohortName + ".vcf.gz"), simulator.Samples));
            }
            var clock = Stopwatch.StartNew();
            ProgressReporter.Run("simulate", progress =>
            {
                simulator.Run(writers, Path.Combine(directory, "phenotypes.tsv"), progress, cancellationToken);
                foreach (IGenotypeWriter writer in writers)
                {
                    writer.Complete();
                }
                return 0;
            });
            written = true;
            double genotypes = (double)settings.Samples * settings.Variants;
            string what = settings.Mosaic is null ? "independent variants" : "haplotype mosaics";
            Console.WriteLine($"simulated {settings.Samples:N0} samples x {settings.Variants:N0} variants ({what}, {settings.Populations} populations, Fst {settings.Fst}) into {directory} in {clock.Elapsed.TotalSeconds:F1} s ({genotypes / clock.Elapsed.TotalSeconds / 1e6:F0} M genotypes/s)");
            SimulationSummary.Print(simulator, decay);
        }
        finally
        {
            foreach (IGenotypeWriter writer in writers)
            {
                writer.Dispose();
            }
            // A failed or cancelled run leaves no output (its writers removed their files), not even the directory it made.
            if (!written && created && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
    }
}
