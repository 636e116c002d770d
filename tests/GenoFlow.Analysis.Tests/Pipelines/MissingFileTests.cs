namespace GenoFlow.Analysis.Tests.Pipelines;

/// <summary>Every file or directory a pipeline names must exist before anything runs; the error gives the path both as written and as resolved.</summary>
public sealed class MissingFileTests : IDisposable
{
    private readonly PipelineFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_dataset_directory_must_exist()
    {
        _fixture.AssertFails(PipelineFixture.WithCohort("dataset: data/ukb-r4"), 4, 14,
            $"dataset directory 'data/ukb-r4' does not exist (looked for {_fixture.Full("data/ukb-r4")}); expected a GenoFlow dataset (genoflow import makes one)");
    }

    [Fact]
    public void A_dataset_directory_must_hold_a_manifest()
    {
        _fixture.AssertFails(PipelineFixture.WithCohort("dataset: data/not-a-dataset"), 4, 14,
            $"'data/not-a-dataset' ({_fixture.Full("data/not-a-dataset")}) is not a GenoFlow dataset: it has no manifest.json");
    }

    [Fact]
    public void A_bed_prefix_needs_its_bed_bim_and_fam()
    {
        _fixture.AssertFails(PipelineFixture.WithCohort("bed: raw/half"), 4, 10,
            $"bed prefix 'raw/half' has no half.bim (looked for {_fixture.Full("raw/half")}.bim); expected PREFIX.bed, PREFIX.bim and PREFIX.fam");
    }

    [Fact]
    public void Each_vcf_file_must_exist_and_is_reported_at_its_own_item()
    {
        _fixture.AssertFails(PipelineFixture.WithCohort("vcf: [chr1.vcf.gz, chr3.vcf.gz]"), 4, 24,
            $"vcf file 'chr3.vcf.gz' does not exist (looked for {_fixture.Full("chr3.vcf.gz")})");
        _fixture.AssertFails(PipelineFixture.WithCohort("vcf: chr9.vcf.gz"), 4, 10,
            $"vcf file 'chr9.vcf.gz' does not exist (looked for {_fixture.Full("chr9.vcf.gz")})");
        _fixture.AssertFails(PipelineFixture.WithCohort("vcf: []"), 4, 10, "vcf must name at least one file; found an empty list");
    }

    [Fact]
    public void A_table_must_exist()
    {
        _fixture.AssertFails("""
            version: 1
            inputs:
              cohort: { dataset: data/ukb-r3 }
              phenos: { table: pheno/phenotype.tsv }
            stages:
              qc: { kind: qc, dataset: cohort }
            """, 4, 20, $"table file 'pheno/phenotype.tsv' does not exist (looked for {_fixture.Full("pheno/phenotype.tsv")})");
    }

    [Fact]
    public void A_test_sample_list_must_exist()
    {
        _fixture.AssertFails("""
            version: 1
            inputs:
              cohort: { dataset: data/ukb-r3 }
              phenos: { table: pheno/phenotypes.tsv }
            stages:
              height:
                kind: train
                dataset: cohort
                phenotypes: phenos
                target: trait_q
                model: linear
                test-samples: holdout.txt
            """, 12, 19, $"test-samples file 'holdout.txt' does not exist (looked for {_fixture.Full("holdout.txt")})");
    }

    [Fact]
    public void Each_feature_table_must_exist_with_or_without_its_column_list()
    {
        const string Stage = """
            version: 1
            inputs:
              cohort: { dataset: data/ukb-r3 }
              phenos: { table: pheno/phenotypes.tsv }
            stages:
              height: { kind: train, dataset: cohort, phenotypes: phenos, target: trait_q, model: linear, features: FEATURES }
            """;
        _fixture.AssertFails(Stage.Replace("FEATURES", "[pheno/phenotypes.tsv, omics.tsv]", StringComparison.Ordinal), 6, 128,
            $"features table 'omics.tsv' does not exist (looked for {_fixture.Full("omics.tsv")})");
        _fixture.AssertFails(Stage.Replace("FEATURES", "\"omics.tsv:g1,g2\"", StringComparison.Ordinal), 6, 105,
            $"features table 'omics.tsv' does not exist (looked for {_fixture.Full("omics.tsv")})");

        var pipeline = _fixture.Parse(Stage.Replace("FEATURES", "[\"pheno/phenotypes.tsv:trait_q\"]", StringComparison.Ordinal));

        Assert.Equal([_fixture.Full("pheno/phenotypes.tsv") + ":trait_q"], pipeline.Stages.Single().Paths("features"));
    }

    [Fact]
    public void Relative_paths_are_relative_to_the_pipeline_file_not_the_working_directory()
    {
        string nested = Path.Combine(_fixture.Root, "pipelines");
        Directory.CreateDirectory(nested);
        string file = Path.Combine(nested, "p.yaml");
        File.WriteAllText(file, PipelineFixture.WithCohort("dataset: ../data/ukb-r3"));

        var pipeline = GenoFlow.Analysis.Pipelines.PipelineFile.Load(file);

        Assert.Equal(_fixture.Full("data/ukb-r3"), pipeline.Input("cohort").Path("dataset"));
        Assert.Equal(nested, pipeline.BaseDirectory);
    }

    [Fact]
    public void A_missing_pipeline_file_says_where_it_was_looked_for()
    {
        string file = Path.Combine(_fixture.Root, "absent.yaml");

        var error = Assert.Throws<GenoFlow.Core.GenoFlowFormatException>(() => GenoFlow.Analysis.Pipelines.PipelineFile.Load(file));

        Assert.Equal($"no such pipeline file (looked for {file})", error.Problem);
    }
}
