using GenoFlow.Analysis.Pipelines;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Tests.Pipelines;

/// <summary>
/// A directory holding every kind of file a pipeline input can name (a dataset with its manifest, a PLINK 1 fileset,
/// two VCFs, a phenotype table, a test-sample list), and helpers that parse YAML against it.
/// </summary>
public sealed class PipelineFixture : IDisposable
{
    public const string FileName = "pipeline.yaml";

    /// <summary>tests/GenoFlow.Analysis.Tests/Pipelines/biobank.yaml in the source tree, found above the test binaries.</summary>
    public static string Example { get; } = FindExample();

    private readonly TempDirectory _directory = new();

    public PipelineFixture()
    {
        Directory.CreateDirectory(Full("data/ukb-r3"));
        File.WriteAllText(Full("data/ukb-r3/manifest.json"), "{}");
        Directory.CreateDirectory(Full("data/not-a-dataset"));
        Directory.CreateDirectory(Full("raw"));
        foreach (string extension in (string[])[".bed", ".bim", ".fam"])
        {
            File.WriteAllText(Full("raw/batch2" + extension), "");
        }
        File.WriteAllText(Full("raw/half.bed"), "");
        File.WriteAllText(Full("chr1.vcf.gz"), "");
        File.WriteAllText(Full("chr2.vcf.gz"), "");
        Directory.CreateDirectory(Full("pheno"));
        File.WriteAllText(Full("pheno/phenotypes.tsv"), "sample_id\ttrait_q\n");
        File.WriteAllText(Full("test-samples.txt"), "s1\n");
    }

    public string Root => _directory.Path;

    public string Full(string relative) => Path.GetFullPath(Path.Combine(_directory.Path, relative));

    /// <summary>Four lines: version, a dataset input named cohort and "stages:"; stages written after it start on line 5.</summary>
    public const string CohortHeader = "version: 1\ninputs:\n  cohort: { dataset: data/ukb-r3 }\nstages:\n";

    /// <summary>A pipeline with one input, cohort (line 3), whose lines are <paramref name="body"/> (from line 4), and a qc stage on it.</summary>
    public static string WithCohort(params string[] body) =>
        "version: 1\ninputs:\n  cohort:\n" + string.Concat(body.Select(line => $"    {line}\n")) + "stages:\n  qc: { kind: qc, dataset: cohort }\n";

    public PipelineDefinition Parse(string yaml) => PipelineFile.Parse(yaml, FileName, _directory.Path);

    /// <summary>Parses <paramref name="yaml"/>, which must fail, and returns the error after checking it names the file.</summary>
    public GenoFlowFormatException Fails(string yaml)
    {
        var error = Assert.Throws<GenoFlowFormatException>(() => Parse(yaml));
        Assert.Equal(FileName, error.File);
        Assert.StartsWith($"{FileName}, line {error.Line}, column {error.Column}: ", error.Message, StringComparison.Ordinal);
        return error;
    }

    /// <summary>Asserts that <paramref name="yaml"/> fails with exactly this problem at this line and column.</summary>
    public void AssertFails(string yaml, int line, int column, string problem)
    {
        GenoFlowFormatException error = Fails(yaml);
        Assert.Equal((line, column, problem), ((int)error.Line!.Value, error.Column!.Value, error.Problem));
    }

    public void Dispose() => _directory.Dispose();

    private static string FindExample()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "GenoFlow.Analysis.Tests", "Pipelines", "biobank.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"no tests/GenoFlow.Analysis.Tests/Pipelines/biobank.yaml above {AppContext.BaseDirectory}");
    }
}
