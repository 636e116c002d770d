using GenoFlow.Analysis.Pipelines;

namespace GenoFlow.Analysis.Tests.Pipelines;

/// <summary>Errors inside one stage: its kind, its keys, the type and value of each, required and exclusive keys.</summary>
public sealed class ValueErrorTests : IDisposable
{
    /// <summary>Seven lines; a stage written after it starts on line 8.</summary>
    private const string Header = """
        version: 1
        inputs:
          cohort:
            dataset: data/ukb-r3
          phenos:
            table: pheno/phenotypes.tsv
        stages:

        """;

    private readonly PipelineFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void An_unknown_kind_lists_the_known_kinds_and_suggests_the_closest()
    {
        _fixture.AssertFails(Header + """
              pca:
                kind: pcaa
                dataset: cohort
            """, 9, 11, "unknown stage kind 'pcaa' (did you mean 'pca'?); known kinds: qc, ld-prune, pca, project, kmeans, train, predict");
    }

    [Fact]
    public void A_stage_without_a_kind_is_reported_at_its_name()
    {
        _fixture.AssertFails(Header + """
              qc:
                dataset: cohort
            """, 8, 3, "stage 'qc' needs a kind: one of qc, ld-prune, pca, project, kmeans, train, predict");
    }

    [Fact]
    public void An_unknown_key_lists_the_allowed_keys_and_suggests_the_closest()
    {
        _fixture.AssertFails(Header + """
              qc:
                kind: qc
                dataset: cohort
                mafx: 0.01
            """, 11, 5, "unknown key 'mafx' for qc stage 'qc' (did you mean 'maf'?); allowed keys: kind, dataset, maf, max-missing, hwe, sample-max-missing, format");
        _fixture.AssertFails(Header + """
              qc:
                kind: qc
                dataset: cohort
                colour: red
            """, 11, 5, "unknown key 'colour' for qc stage 'qc'; allowed keys: kind, dataset, maf, max-missing, hwe, sample-max-missing, format");
    }

    [Theory]
    [InlineData("k", "ten", "k must be an integer; found 'ten'")]
    [InlineData("k", "2.5", "k must be an integer; found '2.5'")]
    [InlineData("k", "3000000000", "k must be an integer from -2147483648 to 2147483647; found '3000000000'")]
    [InlineData("k", "\"10\"", "k must be an integer; found the quoted string '10'")]
    [InlineData("k", "{ a: 1 }", "k must be an integer; found a mapping")]
    [InlineData("tolerance", "high", "tolerance must be a number; found 'high'")]
    [InlineData("tolerance", ".inf", "tolerance must be a number; found '.inf'")]
    [InlineData("tolerance", "[1e-6]", "tolerance must be a number; found a list")]
    [InlineData("seed", "-1", "seed must be a non-negative integer; found '-1'")]
    [InlineData("seed", "18446744073709551616", "seed must be an integer from 0 to 18446744073709551615; found '18446744073709551616'")]
    [InlineData("method", "fast", "method must be one of randomized, exact; found 'fast'")]
    [InlineData("method", "exat", "method must be one of randomized, exact; found 'exat' (did you mean 'exact'?)")]
    [InlineData("max-iterations", "~", "max-iterations must be an integer; found nothing")]
    public void A_wrong_value_says_what_was_expected_and_what_was_found(string key, string value, string problem)
    {
        string k = key == "k" ? "" : "\n    k: 2";
        _fixture.AssertFails(Header + $"""
              pca:
                kind: pca
                dataset: cohort
                {key}: {value}
            """ + k, 11, 5 + key.Length + 2, problem);
    }

    [Fact]
    public void An_empty_value_is_located_where_the_value_should_be()
    {
        var error = _fixture.Fails(Header + """
              pca:
                kind: pca
                dataset: cohort
                k:
            """);

        Assert.Equal("k must be an integer; found nothing", error.Problem);
        Assert.Equal(11L, error.Line);
    }

    [Theory]
    [InlineData("columns", "3", "columns must be a list of strings, e.g. [a, b]; found '3'")]
    [InlineData("columns", "[PC1, { a: 1 }]", "each item of columns must be a string; found a mapping")]
    [InlineData("standardize", "yes", "standardize must be true or false; found 'yes'")]
    [InlineData("k-range", "2-6", "k-range must be a range A..B, e.g. \"2..6\"; found '2-6'")]
    [InlineData("init", "kmeans+", "init must be one of kmeans-parallel, kmeans++, random; found 'kmeans+' (did you mean 'kmeans++'?)")]
    public void Kmeans_values_are_checked_by_type(string key, string value, string problem)
    {
        var error = _fixture.Fails(Header + $"""
              clusters:
                kind: kmeans
                scores: phenos
                {key}: {value}
            """ + (key == "k-range" ? "" : "\n    k: 3"));

        Assert.Equal(problem, error.Problem);
        Assert.Equal(11L, error.Line);
        Assert.True(error.Column >= 5 + key.Length + 2, $"column {error.Column} is before the value");
    }

    [Fact]
    public void A_string_parameter_does_not_take_a_list()
    {
        _fixture.AssertFails(Header + """
              height:
                kind: train
                dataset: cohort
                phenotypes: phenos
                model: linear
                target: [trait_q]
            """, 13, 13, "target must be a string; found a list");
    }

    [Theory]
    [InlineData("k: 1e3", 1000)]
    [InlineData("k: 4096.0", 4096)]
    [InlineData("k: +7", 7)]
    [InlineData("k: -2147483648", int.MinValue)]
    public void Integers_may_be_written_in_any_integral_yaml_number_form(string line, int expected)
    {
        PipelineDefinition pipeline = _fixture.Parse(Header + $"""
              pca:
                kind: pca
                dataset: cohort
                {line}
                seed: 1e3
                tolerance: .5
                max-iterations: 2E2
            """);

        PipelineStage pca = pipeline.Stage("pca");
        Assert.Equal(expected, pca.Integer("k"));
        Assert.Equal(1000UL, pca.UnsignedInteger("seed"));
        Assert.Equal(0.5, pca.Number("tolerance"));
        Assert.Equal(200, pca.Integer("max-iterations"));
    }

    [Fact]
    public void A_missing_required_key_is_reported_at_the_stage_name()
    {
        _fixture.AssertFails(Header + """
              pca:
                kind: pca
                dataset: cohort
            """, 8, 3, "pca stage 'pca' needs k (an integer)");
        _fixture.AssertFails(Header + """
              proj:
                kind: project
                dataset: cohort
            """, 8, 3, "project stage 'proj' needs model (the name of a pca stage)");
        _fixture.AssertFails(Header + """
              clusters:
                kind: kmeans
                scores: phenos
            """, 8, 3, "kmeans stage 'clusters' needs k or k-range");
    }

    [Theory]
    [InlineData("clusters", "kmeans", "scores: phenos", "k: 3", "k-range: 2..6", "give k or k-range, not both (k is given at line 11, column 5)")]
    [InlineData("ld", "ld-prune", "dataset: cohort", "window-kb: 500", "window-variants: 50", "give window-variants or window-kb, not both (window-kb is given at line 11, column 5)")]
    [InlineData("height", "train", "dataset: cohort\n    phenotypes: phenos\n    target: trait_q\n    model: linear", "test-samples: test-samples.txt", "test-fraction: 0.2", "give test-fraction or test-samples, not both (test-samples is given at line 14, column 5)")]
    public void Exclusive_keys_cannot_both_be_given(string name, string kind, string required, string first, string second, string problem)
    {
        string yaml = Header + $"  {name}:\n    kind: {kind}\n    {required}\n    {first}\n    {second}\n";
        int line = yaml.Split('\n').Length - 1;

        _fixture.AssertFails(yaml, line, 5, problem);
    }
}
