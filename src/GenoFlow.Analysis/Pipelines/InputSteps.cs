using System.Text.RegularExpressions;
using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// A pipeline's inputs as artifacts. An existing dataset or table is used where it is; bed and VCF files are imported
/// into <c>RUN/inputs/NAME</c>; a simulated cohort is written to <c>RUN/inputs/NAME/cohort</c> (bed + phenotypes.tsv) and
/// imported into <c>RUN/inputs/NAME/dataset</c>. Imports are steps of the run like stages: done once, skipped when their
/// source files and options are unchanged.
/// </summary>
internal static partial class InputSteps
{
    public const string SimulatedCohort = "cohort";
    public const string PhenotypesFile = "phenotypes.tsv";

    private static readonly string[] BedExtensions = [".bed", ".bim", ".fam"];

    /// <summary>Where an input's files go in the run directory, when it makes any.</summary>
    public static string Directory(string runDirectory, PipelineInput input) => Path.Join(runDirectory, "inputs", input.Name);

    /// <summary>
    /// What identifies an input's source: for an existing dataset its manifest checksum, for a table its bytes, for files
    /// to import their paths, sizes and modification times (hashing a biobank's .bed on every run would cost minutes)
    /// with the import options, for a simulation its parameters.
    /// </summary>
    public static string SourceDigest(PipelineInput input) => input.Source switch
    {
        "dataset" => ManifestChecksum(input.Path("dataset")!),
        "table" => Digests.OfFile(input.Path("table")!),
        "bed" => Digests.OfText(string.Join("\n", BedExtensions.Select(e => FileIdentity(input.Path("bed")! + e)).Append(ImportOptions(input).ToString()))),
        "vcf" => Digests.OfText(string.Join("\n", input.Paths("vcf")!.Select(FileIdentity).Append(ImportOptions(input).ToString()))),
        "simulate" => Digests.OfText(Simulation(input).ToString()),
        _ => throw new InvalidOperationException($"unknown input source '{input.Source}'"),
    };

    /// <summary>Makes the input's files in the run directory (imports, simulations); nothing for inputs used in place.</summary>
    public static void Prepare(PipelineInput input, string directory, IProgress<double>? progress, CancellationToken ct)
    {
        switch (input.Source)
        {
            case "bed":
                using (BedReader reader = BedReader.Open(input.Path("bed")!))
                {
                    Import(reader, directory, ImportOptions(input), progress, ct);
                }
                break;
            case "vcf":
                using (VcfReader reader = VcfReader.Open(input.Paths("vcf")!))
                {
                    Import(reader, directory, ImportOptions(input), progress, ct);
                }
                break;
            case "simulate":
                CohortSettings settings = Simulation(input);
                string cohort = Path.Join(directory, SimulatedCohort);
                var simulator = new CohortSimulator(settings);
                OutputDirectory.Publish(cohort, staging =>
                {
                    using BedWriter writer = BedWriter.Create(Path.Join(staging, SimulatedCohort), simulator.Samples);
                    simulator.Run([writer], Path.Join(staging, PhenotypesFile), new Scaled(progress, 0, 0.5), ct);
                    writer.Complete();
                });
                using (BedReader reader = BedReader.Open(Path.Join(cohort, SimulatedCohort)))
                {
                    Import(reader, Path.Join(directory, "dataset"), new DatasetWriteOptions(Release: "simulated"), new Scaled(progress, 0.5, 0.5), ct);
                }
                break;
        }
    }

    /// <summary>What the input gives, once prepared: an open dataset (disposed with the run) and/or a sample table.</summary>
    public static Dictionary<PipelineProduct, Lazy<object>> Products(PipelineInput input, string directory, List<IDisposable> disposables) => input.Source switch
    {
        "dataset" => new() { [PipelineProduct.Dataset] = Open(input.Path("dataset")!, disposables) },
        "bed" or "vcf" => new() { [PipelineProduct.Dataset] = Open(directory, disposables) },
        "simulate" => new()
        {
            [PipelineProduct.Dataset] = Open(Path.Join(directory, "dataset"), disposables),
            [PipelineProduct.SampleTable] = Artifact.Load(() => SampleTable.Read(Path.Join(directory, SimulatedCohort, PhenotypesFile))),
        },
        "table" => new() { [PipelineProduct.SampleTable] = Artifact.Load(() => SampleTable.Read(input.Path("table")!)) },
        _ => throw new InvalidOperationException($"unknown input source '{input.Source}'"),
    };

    /// <summary>What the prepared input is, as later steps see it: the dataset's manifest checksum, the table's bytes.</summary>
    public static string? OutputDigest(PipelineInput input, string directory)
    {
        string? Manifest(string path) => File.Exists(Path.Join(path, "manifest.json")) ? Digests.OfFile(Path.Join(path, "manifest.json")) : null;
        return input.Source switch
        {
            "bed" or "vcf" => Manifest(directory),
            "simulate" when Manifest(Path.Join(directory, "dataset")) is { } manifest && File.Exists(Path.Join(directory, SimulatedCohort, PhenotypesFile))
                => Digests.OfText(manifest + Digests.OfFile(Path.Join(directory, SimulatedCohort, PhenotypesFile))),
            "simulate" => null,
            _ => SourceDigest(input),
        };
    }

    private static string ManifestChecksum(string path)
    {
        using Dataset dataset = Dataset.Open(path);
        return dataset.Manifest.ManifestXxh3!;
    }

    private static Lazy<object> Open(string path, List<IDisposable> disposables) => Artifact.Load(() =>
    {
        Dataset dataset = Dataset.Open(path);
        lock (disposables)
        {
            disposables.Add(dataset);
        }
        return dataset;
    });

    private static void Import(IGenotypeReader reader, string datasetPath, DatasetWriteOptions options, IProgress<double>? progress, CancellationToken ct)
    {
        using DatasetWriter writer = DatasetWriter.Create(datasetPath, reader.Samples, options);
        GenotypeCopy.CopyAll(reader, writer, progress, ct);
    }

    private static DatasetWriteOptions ImportOptions(PipelineInput input)
    {
        var defaults = new DatasetWriteOptions();
        string source = input.Source == "bed" ? System.IO.Path.GetFileName(input.Path("bed")!) : System.IO.Path.GetFileName(input.Paths("vcf")![0]);
        return new DatasetWriteOptions(input.Integer("variants-per-tile") ?? defaults.VariantsPerTile, input.Integer("samples-per-tile") ?? defaults.SamplesPerTile,
            input.Text("release") ?? source);
    }

    private static CohortSettings Simulation(PipelineInput input)
    {
        var defaults = new CohortSettings(1, 1);
        var settings = new CohortSettings(input.Integer("samples")!.Value, input.Integer("variants")!.Value, input.Integer("populations") ?? defaults.Populations,
            input.Number("fst") ?? defaults.Fst, input.Number("missing-rate") ?? defaults.MissingRate, input.UnsignedInteger("seed") ?? defaults.Seed,
            input.Integer("chromosomes") ?? defaults.Chromosomes, input.Integer("causal-variants") ?? defaults.CausalVariants,
            input.Number("heritability") ?? defaults.Heritability, input.Number("prevalence") ?? defaults.Prevalence)
        {
            Batch = input.Integer("batch") ?? 0,
            CausalBlockSize = input.Integer("causal-block") ?? 1,
            Mosaic = input.Choice("model") == "mosaic" ? Mosaic(input) : null,
        };
        try
        {
            settings.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            string key = KeyOf(e.ParamName ?? "");
            throw input.Error(key, $"{key}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        return settings;
    }

    private static MosaicSettings Mosaic(PipelineInput input)
    {
        var defaults = new MosaicSettings();
        return new MosaicSettings(input.Integer("pool-haplotypes") ?? defaults.PoolHaplotypes, input.Number("recombination-rate") ?? defaults.RecombinationRate,
            input.Number("ne") ?? defaults.EffectiveSize, input.Integer("variant-spacing") ?? defaults.VariantSpacing, input.Number("maf-min") ?? defaults.MafMin,
            input.Number("admixed") ?? defaults.AdmixedShare, input.Integer("admixture-generations") ?? defaults.AdmixtureGenerations,
            input.Integer("first-degree-pairs") ?? defaults.FirstDegreePairs, input.Integer("second-degree-pairs") ?? defaults.SecondDegreePairs,
            input.Choice("order") == "shuffled" ? SampleOrder.Shuffled : SampleOrder.Contiguous, input.Number("hotspot-spacing-kb") ?? defaults.HotspotSpacingKb,
            input.Number("hotspot-share") ?? defaults.HotspotShare);
    }

    /// <summary>The key of a simulate input behind a settings property (MissingRate is missing-rate; a few are named otherwise).</summary>
    private static string KeyOf(string property) => property switch
    {
        nameof(MosaicSettings.EffectiveSize) => "ne",
        nameof(MosaicSettings.AdmixedShare) => "admixed",
        nameof(CohortSettings.CausalBlockSize) => "causal-block",
        _ => KebabCase().Replace(property, "$1-$2").ToLowerInvariant(),
    };

    private static string FileIdentity(string path)
    {
        var file = new FileInfo(path);
        return $"{file.FullName}\t{file.Length}\t{file.LastWriteTimeUtc.Ticks}";
    }

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex KebabCase();

    /// <summary>Reports a part of the work as a slice of the whole.</summary>
    private sealed class Scaled(IProgress<double>? inner, double offset, double scale) : IProgress<double>
    {
        public void Report(double value) => inner?.Report(offset + scale * value);
    }
}
