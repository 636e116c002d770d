using GenoFlow.Analysis.Pipelines;

namespace GenoFlow.Analysis.Tests.Pipelines;

/// <summary>Errors between entries: names that do not exist, the wrong kind of stage or input, another dataset, cycles.</summary>
public sealed class ReferenceErrorTests : IDisposable
{
    /// <summary>Nine lines: three inputs and ld, pca and qc stages on cohort; stages written after it start on line 10.</summary>
    private const string Header = """
        version: 1
        inputs:
          cohort: { dataset: data/ukb-r3 }
          batch2: { bed: raw/batch2 }
          phenos: { table: pheno/phenotypes.tsv }
        stages:
          ld: { kind: ld-prune, dataset: cohort }
          pca: { kind: pca, dataset: cohort, k: 5 }
          qc: { kind: qc, dataset: cohort }

        """;

    private readonly PipelineFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_name_that_is_neither_an_input_nor_a_stage_suggests_the_closest()
    {
        _fixture.AssertFails(Header + """
              pca2: { kind: pca, dataset: cohort, k: 5, keep: qcc }
            """, 10, 51, "keep names 'qcc', which is neither an input nor a stage (did you mean 'qc'?)");
        _fixture.AssertFails(Header + """
              pca2: { kind: pca, dataset: ukb, k: 5 }
            """, 10, 31, "dataset names 'ukb', which is neither an input nor a stage");
    }

    [Theory]
    [InlineData("kind: pca, dataset: cohort, k: 5, keep: ld", 50, "keep must name a qc stage; 'ld' is an ld-prune stage")]
    [InlineData("kind: pca, dataset: cohort, k: 5, keep: cohort", 50, "keep must name a qc stage; 'cohort' is a dataset input")]
    [InlineData("kind: pca, dataset: cohort, k: 5, variants: qc", 54, "variants must name an ld-prune stage; 'qc' is a qc stage")]
    [InlineData("kind: qc, dataset: phenos", 29, "dataset must name an input giving a dataset (dataset, bed, vcf or simulate); 'phenos' is a table input")]
    [InlineData("kind: qc, dataset: ld", 29, "dataset must name an input giving a dataset (dataset, bed, vcf or simulate); 'ld' is an ld-prune stage")]
    [InlineData("kind: project, model: qc, dataset: batch2", 32, "model must name a pca stage; 'qc' is a qc stage")]
    [InlineData("kind: kmeans, scores: qc, k: 3", 32, "scores must name a pca or project stage, or a table input; 'qc' is a qc stage")]
    [InlineData("kind: kmeans, scores: cohort, k: 3", 32, "scores must name a pca or project stage, or a table input; 'cohort' is a dataset input")]
    [InlineData("kind: predict, model: pca, dataset: batch2", 32, "model must name a train stage; 'pca' is a pca stage")]
    [InlineData("kind: train, dataset: cohort, phenotypes: cohort, target: trait_q, model: linear", 52, "phenotypes must name a table or simulate input; 'cohort' is a dataset input")]
    [InlineData("kind: train, dataset: cohort, phenotypes: phenos, target: trait_q, model: linear, pcs: ld", 97, "pcs must name a pca or project stage; 'ld' is an ld-prune stage")]
    public void A_name_of_the_wrong_kind_says_which_kind_was_expected_and_which_it_is(string stage, int column, string problem)
    {
        _fixture.AssertFails(Header + $"  bad: {{ {stage} }}\n", 10, column, problem);
    }

    [Fact]
    public void A_selection_computed_on_another_dataset_cannot_filter_a_stage()
    {
        _fixture.AssertFails(Header + """
              pca2: { kind: pca, dataset: batch2, k: 5, keep: qc }
            """, 10, 51, "keep must name a qc stage computed on this stage's dataset 'batch2'; 'qc' was computed on 'cohort'");
        _fixture.AssertFails(Header + """
              height:
                kind: train
                dataset: batch2
                phenotypes: phenos
                target: trait_q
                model: linear
                variants: ld
            """, 16, 15, "variants must name an ld-prune stage computed on this stage's dataset 'batch2'; 'ld' was computed on 'cohort'");
    }

    [Fact]
    public void Selections_on_the_same_dataset_and_tables_as_scores_are_accepted()
    {
        PipelineDefinition pipeline = _fixture.Parse(Header + """
              pca2: { kind: pca, dataset: cohort, k: 5, keep: qc, variants: ld }
              clusters: { kind: kmeans, scores: phenos, k: 3 }
              proj: { kind: project, model: pca2, dataset: batch2 }
            """);

        Assert.Equal("cohort", pipeline.Stage("pca2").Dataset);
        Assert.Equal(PipelineProduct.SampleTable, pipeline.Stage("clusters").Reference("scores")!.Provides);
        Assert.Equal(PipelineProduct.PcaModel, pipeline.Stage("proj").Reference("model")!.Provides);
        Assert.Equal("batch2", pipeline.Stage("proj").Dataset);
    }

    [Fact]
    public void A_cycle_names_its_stages_and_is_reported_at_its_first_stage_in_the_file()
    {
        // clusters leads into the cycle without being part of it.
        _fixture.AssertFails(PipelineFixture.CohortHeader + """
              clusters: { kind: kmeans, scores: pca, k: 3 }
              pca: { kind: pca, dataset: cohort, k: 5, variants: ld }
              ld: { kind: ld-prune, dataset: cohort, keep: pca }
            """, 6, 54, "stages form a cycle: pca -> ld -> pca (pca uses ld through variants, ld uses pca through keep); a stage can only use stages that do not use it");
    }

    [Fact]
    public void A_stage_cannot_use_itself()
    {
        _fixture.AssertFails(PipelineFixture.CohortHeader + """
              pca: { kind: pca, dataset: cohort, k: 5, keep: pca }
            """, 5, 50, "stage 'pca' uses itself through keep; a stage can only use other stages");
    }

    [Fact]
    public void Of_several_wrong_references_the_first_in_the_file_is_reported()
    {
        _fixture.AssertFails(Header + """
              a: { kind: pca, dataset: cohort, k: 5, keep: ld }
              b: { kind: pca, dataset: cohort, k: 5, keep: pca }
            """, 10, 48, "keep must name a qc stage; 'ld' is an ld-prune stage");
    }
}
