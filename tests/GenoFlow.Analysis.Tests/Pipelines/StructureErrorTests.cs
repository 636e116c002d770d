using GenoFlow.Analysis.Pipelines;

namespace GenoFlow.Analysis.Tests.Pipelines;

/// <summary>Errors in the shape of the file: YAML syntax, the top level, inputs and their sources, names.</summary>
public sealed class StructureErrorTests : IDisposable
{
    private readonly PipelineFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_yaml_syntax_error_is_reported_where_yamldotnet_finds_it()
    {
        var error = _fixture.Fails("""
            version: 1
            inputs:
              cohort:
                dataset: 'data/ukb-r3
            stages:
            """);

        Assert.Equal((4L, 14), (error.Line!.Value, error.Column!.Value));
        Assert.Equal("not valid YAML: while scanning a quoted scalar, found unexpected end of stream", error.Problem);
    }

    [Fact]
    public void An_unclosed_flow_mapping_is_reported_at_its_opening_brace()
    {
        // YamlDotNet itself fails here without a location (InvalidOperationException from its scanner).
        _fixture.AssertFails("""
            version: 1
            inputs:
              cohort: { dataset: data/ukb-r3
            stages:
              qc: { kind: qc, dataset: cohort }
            """, 3, 11, "not valid YAML: this '{' is never closed with '}'");
    }

    [Fact]
    public void A_duplicate_key_is_reported_at_its_second_occurrence()
    {
        _fixture.AssertFails("""
            version: 1
            inputs:
              cohort:
                dataset: data/ukb-r3
            stages:
              qc:
                kind: qc
                maf: 0.01
                dataset: cohort
                maf: 0.05
            """, 10, 5, "duplicate key 'maf' (first given at line 8, column 5); give each key once");
    }

    [Fact]
    public void Two_stages_of_the_same_name_are_a_duplicate_key()
    {
        _fixture.AssertFails(PipelineFixture.CohortHeader + """
              qc: { kind: qc, dataset: cohort }
              qc: { kind: qc, dataset: cohort, maf: 0.01 }
            """, 6, 3, "duplicate key 'qc' (first given at line 5, column 3); give each key once");
    }

    [Fact]
    public void A_second_yaml_document_is_not_read_silently()
    {
        _fixture.AssertFails(PipelineFixture.WithCohort("dataset: data/ukb-r3") + "---\nversion: 1\n", 7, 1,
            "a pipeline file holds one YAML document; a second one starts here");
    }

    [Fact]
    public void Anchors_may_be_reused_but_an_alias_needs_its_anchor()
    {
        PipelineDefinition pipeline = _fixture.Parse(PipelineFixture.CohortHeader + """
              qc: &filters { kind: qc, dataset: cohort, maf: 0.01 }
              qc2: *filters
            """);
        Assert.Equal(0.01, pipeline.Stage("qc2").Number("maf"));

        _fixture.AssertFails(PipelineFixture.CohortHeader + """
              qc2: *filters
            """, 5, 8, "alias *filters refers to no anchor &filters defined before it");
    }

    [Fact]
    public void Nesting_too_deep_is_an_error_not_a_stack_overflow()
    {
        string deep = new string('[', 100_000) + new string(']', 100_000);

        _fixture.AssertFails($"version: 1\ninputs: {deep}\n", 2, 9 + 31,
            "lists and mappings nest more than 32 levels deep here; a pipeline file needs four");
    }

    [Fact]
    public void An_empty_file_asks_for_the_top_level_mapping()
    {
        _fixture.AssertFails("# nothing yet\n", 1, 1, "the pipeline file is empty; expected a mapping with version, inputs and stages");
    }

    [Fact]
    public void A_file_that_is_a_list_is_not_a_pipeline()
    {
        _fixture.AssertFails("- qc\n- pca\n", 1, 1, "a pipeline file must be a mapping with version, inputs and stages; found a list");
    }

    [Fact]
    public void A_missing_version_is_reported_at_the_top()
    {
        _fixture.AssertFails("""
            inputs:
              cohort: { dataset: data/ukb-r3 }
            stages:
              qc: { kind: qc, dataset: cohort }
            """, 1, 1, "the pipeline file needs version: 1 at the top level, beside inputs and stages");
    }

    [Theory]
    [InlineData("2", "'2'")]
    [InlineData("\"1\"", "the quoted string '1'")]
    [InlineData("[1]", "a list")]
    public void An_unknown_version_says_which_one_is_known(string version, string found)
    {
        _fixture.AssertFails($$"""
            version: {{version}}
            inputs:
              cohort: { dataset: data/ukb-r3 }
            stages:
              qc: { kind: qc, dataset: cohort }
            """, 1, 10, $"version must be 1, the only pipeline file version this GenoFlow reads; found {found}");
    }

    [Fact]
    public void An_unknown_top_level_key_suggests_the_closest_one()
    {
        _fixture.AssertFails("""
            version: 1
            inputs:
              cohort: { dataset: data/ukb-r3 }
            stage:
              qc: { kind: qc, dataset: cohort }
            """, 4, 1, "unknown top-level key 'stage' (did you mean 'stages'?); a pipeline file has version, inputs, stages");
    }

    [Fact]
    public void Stages_must_be_a_mapping_of_names_to_stages()
    {
        _fixture.AssertFails(PipelineFixture.CohortHeader + """
              - kind: qc
            """, 5, 3, "stages must be a mapping from stage names to stages; found a list");
    }

    [Fact]
    public void A_stage_must_be_a_mapping()
    {
        _fixture.AssertFails(PipelineFixture.CohortHeader + """
              qc: qc
            """, 5, 7, "stage 'qc' must be a mapping with a kind and its parameters; found 'qc'");
    }

    [Fact]
    public void An_input_without_a_source_lists_the_sources()
    {
        _fixture.AssertFails(PipelineFixture.WithCohort("release: r3"), 3, 3, "input 'cohort' needs a source: one of dataset, bed, vcf, simulate, table");
    }

    [Fact]
    public void An_input_with_two_sources_is_reported_at_the_second()
    {
        _fixture.AssertFails(PipelineFixture.WithCohort("dataset: data/ukb-r3", "bed: raw/batch2"), 5, 5, "input 'cohort' has two sources, dataset (at line 4, column 5) and bed; give exactly one of dataset, bed, vcf, simulate, table");
    }

    [Fact]
    public void An_unknown_input_source_suggests_the_closest_one()
    {
        _fixture.AssertFails(PipelineFixture.WithCohort("datset: data/ukb-r3"), 4, 5, "unknown key 'datset' for input 'cohort' (did you mean 'dataset'?); an input has one source (dataset, bed, vcf, simulate, table) and, for bed and vcf, variants-per-tile, samples-per-tile, release");
    }

    [Fact]
    public void Import_options_apply_to_bed_and_vcf_inputs_only()
    {
        _fixture.AssertFails(PipelineFixture.WithCohort("dataset: data/ukb-r3", "release: r4"), 5, 5, "release applies to bed and vcf inputs only; 'cohort' is a dataset input");
    }

    [Fact]
    public void Simulate_takes_a_mapping_with_samples_and_variants()
    {
        _fixture.AssertFails("""
            version: 1
            inputs:
              sim:
                simulate: 2000
            stages:
              qc: { kind: qc, dataset: sim }
            """, 4, 15, "simulate must be a mapping of simulation settings, e.g. { samples: 2000, variants: 20000 }; found '2000'");
        _fixture.AssertFails("""
            version: 1
            inputs:
              sim:
                simulate: { samples: 2000, populaton: 3 }
            stages:
              qc: { kind: qc, dataset: sim }
            """, 4, 32, "unknown key 'populaton' for simulate input 'sim' (did you mean 'populations'?); allowed keys: samples, variants, populations, seed, fst, missing-rate, chromosomes, causal-variants, heritability, prevalence, batch, causal-block, model, pool-haplotypes, recombination-rate, ne, variant-spacing, maf-min, admixed, admixture-generations, first-degree-pairs, second-degree-pairs, order, hotspot-spacing-kb, hotspot-share");
        _fixture.AssertFails("""
            version: 1
            inputs:
              sim:
                simulate: { samples: 2000 }
            stages:
              qc: { kind: qc, dataset: sim }
            """, 4, 5, "simulate input 'sim' needs variants (an integer)");
    }

    [Fact]
    public void A_name_used_by_an_input_cannot_name_a_stage()
    {
        _fixture.AssertFails(PipelineFixture.CohortHeader + """
              cohort: { kind: qc, dataset: cohort }
            """, 5, 3, "name 'cohort' is already used by the input at line 3, column 3; inputs and stages need distinct names");
    }

    [Fact]
    public void Names_that_differ_only_in_case_are_refused()
    {
        _fixture.AssertFails(PipelineFixture.CohortHeader + """
              qc: { kind: qc, dataset: cohort }
              QC: { kind: qc, dataset: cohort, maf: 0.01 }
            """, 6, 3, "name 'QC' differs only in case from 'qc', the stage at line 5, column 3; inputs and stages need names that differ in more than case");
    }

    [Fact]
    public void A_name_must_be_short_and_plain()
    {
        _fixture.AssertFails("""
            version: 1
            inputs:
              my cohort: { dataset: data/ukb-r3 }
            stages:
              qc: { kind: qc, dataset: cohort }
            """, 3, 3, "input name 'my cohort' must be 1 to 64 letters, digits, '-' or '_'");
    }

    [Fact]
    public void Of_several_errors_the_first_in_the_file_is_reported()
    {
        _fixture.AssertFails(PipelineFixture.CohortHeader + """
              qc: { kind: qc, dataset: cohort, maf: lots }
              pca: { kind: pca, dataset: cohort, k: ten }
            """, 5, 41, "maf must be a number; found 'lots'");
    }
}
