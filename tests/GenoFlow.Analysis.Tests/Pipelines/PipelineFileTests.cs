using GenoFlow.Analysis.Pipelines;

namespace GenoFlow.Analysis.Tests.Pipelines;

public sealed class PipelineFileTests : IDisposable
{
    /// <summary>Every source and every stage kind with every key; stages deliberately out of run order (pred first).</summary>
    private const string Complete = """
        version: 1
        inputs:
          cohort:
            dataset: data/ukb-r3
          batch2:
            bed: raw/batch2
            variants-per-tile: 4096
            samples-per-tile: 8192
            release: r3
          batch3:
            vcf: [chr1.vcf.gz, chr2.vcf.gz]
          sim:
            simulate: { samples: 2000, variants: 20000, populations: 3, seed: 1, fst: 0.1, missing-rate: 0.01, chromosomes: 2, causal-variants: 100, heritability: 0.5, prevalence: 0.2 }
          phenos:
            table: pheno/phenotypes.tsv
        stages:
          pred:
            kind: predict
            model: height
            dataset: batch2
            phenotypes: phenos
            pcs: proj
            rows-per-shard: 2048
          qc:
            kind: qc
            dataset: cohort
            maf: 0.01
            max-missing: 0.05
            hwe: 1e-10
            sample-max-missing: 0.05
            format: tsv
          ld:
            kind: ld-prune
            dataset: cohort
            keep: qc
            window-variants: 50
            step: 5
            r2: 0.5
          pca:
            kind: pca
            dataset: cohort
            keep: qc
            variants: ld
            k: 10
            method: randomized
            seed: 18446744073709551615
            tolerance: 1e-6
            oversampling: 10
            max-iterations: 200
          proj:
            kind: project
            model: pca
            dataset: batch2
          clusters:
            kind: kmeans
            scores: pca
            k-range: "2..6"
            columns: [PC1, PC2]
            standardize: false
            batch-size: 1024
            max-steps: 1000
            tolerance: 0.0
            max-no-improvement: 10
            lloyd-passes: 1
            init: kmeans++
            restarts: 3
            seed: 1
            rows-per-shard: 4096
          height:
            kind: train
            dataset: cohort
            phenotypes: phenos
            target: trait_q
            model: linear
            covariates:
              - age
              - sex
            pcs: pca
            keep: qc
            variants: ld
            l1: 0.0
            l2: 0.3
            test-samples: test-samples.txt
            rounds: 1000
            local-epochs: 1
            aggregate: average
            seed: 1
            tolerance: 1e-6
            rows-per-shard: 2048
            folds: 5
        """;

    private readonly PipelineFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_complete_file_gives_its_inputs_in_file_order_with_typed_values_and_full_paths()
    {
        PipelineDefinition pipeline = _fixture.Parse(Complete);

        Assert.Equal(1, pipeline.Version);
        Assert.Equal(PipelineFixture.FileName, pipeline.File);
        Assert.Equal(["cohort", "batch2", "batch3", "sim", "phenos"], pipeline.Inputs.Select(i => i.Name));
        Assert.Equal(["dataset", "bed", "vcf", "simulate", "table"], pipeline.Inputs.Select(i => i.Source));

        PipelineInput cohort = pipeline.Input("cohort");
        Assert.Equal(_fixture.Full("data/ukb-r3"), cohort.Path("dataset"));
        Assert.Equal(new SourceMark(3, 3), cohort.Mark);
        Assert.Equal(new SourceMark(4, 14), cohort.Value("dataset")!.Mark);
        Assert.Equal("data/ukb-r3", cohort.Value("dataset")!.Written);
        Assert.Equal([PipelineProduct.Dataset], cohort.Provides);

        PipelineInput batch2 = pipeline.Input("batch2");
        Assert.Equal(_fixture.Full("raw/batch2"), batch2.Path("bed"));
        Assert.Equal(4096, batch2.Integer("variants-per-tile"));
        Assert.Equal(8192, batch2.Integer("samples-per-tile"));
        Assert.Equal("r3", batch2.Text("release"));

        PipelineInput batch3 = pipeline.Input("batch3");
        Assert.Equal([_fixture.Full("chr1.vcf.gz"), _fixture.Full("chr2.vcf.gz")], batch3.Paths("vcf"));
        Assert.Equal([new SourceMark(11, 11), new SourceMark(11, 24)], batch3.Value("vcf")!.ItemMarks);
        Assert.Null(batch3.Integer("variants-per-tile"));

        PipelineInput sim = pipeline.Input("sim");
        Assert.Equal([PipelineProduct.Dataset, PipelineProduct.SampleTable], sim.Provides);
        Assert.Equal(2000, sim.Integer("samples"));
        Assert.Equal(20000, sim.Integer("variants"));
        Assert.Equal(1UL, sim.UnsignedInteger("seed"));
        Assert.Equal(0.01, sim.Number("missing-rate"));
        Assert.Equal(100, sim.Integer("causal-variants"));
        Assert.Equal(new SourceMark(13, 17), sim.Value("samples")!.KeyMark);
        Assert.Equal(new SourceMark(13, 26), sim.Value("samples")!.Mark);

        Assert.Equal(_fixture.Full("pheno/phenotypes.tsv"), pipeline.Input("phenos").Path("table"));
    }

    [Fact]
    public void Stages_come_in_run_order_keeping_the_file_order_among_independent_ones()
    {
        PipelineDefinition pipeline = _fixture.Parse(Complete);

        Assert.Equal(["qc", "ld", "pca", "proj", "clusters", "height", "pred"], pipeline.Stages.Select(s => s.Name));
        Assert.Equal(["qc", "ld-prune", "pca", "project", "kmeans", "train", "predict"], pipeline.Stages.Select(s => s.Kind));
        Assert.Equal(["height", "proj"], pipeline.Stage("pred").DependsOn);
        Assert.Equal(["pca", "qc", "ld"], pipeline.Stage("height").DependsOn);
        Assert.Empty(pipeline.Stage("qc").DependsOn);
        Assert.Equal(["ld", "pca", "proj", "clusters", "height", "pred"], pipeline.Downstream("ld").Select(s => s.Name));
        Assert.Equal(["proj", "pred"], pipeline.Downstream("proj").Select(s => s.Name));
    }

    [Fact]
    public void Stage_values_are_typed_and_marked_where_the_file_writes_them()
    {
        PipelineDefinition pipeline = _fixture.Parse(Complete);

        PipelineStage pred = pipeline.Stage("pred");
        Assert.Equal(new SourceMark(17, 3), pred.Mark);
        Assert.Equal(new SourceMark(18, 11), pred.KindMark);
        Assert.Equal(new SourceMark(19, 5), pred.Value("model")!.KeyMark);
        Assert.Equal(new SourceMark(19, 12), pred.Value("model")!.Mark);
        Assert.Equal(["model", "dataset", "phenotypes", "pcs", "rows-per-shard"], pred.Values.Select(v => v.Key));
        Assert.Equal(2048, pred.Integer("rows-per-shard"));

        PipelineStage qc = pipeline.Stage("qc");
        Assert.Equal(0.01, qc.Number("maf"));
        Assert.Equal(1e-10, qc.Number("hwe"));
        Assert.Equal("tsv", qc.Choice("format"));
        Assert.Equal("tsv", qc.Text("format"));
        Assert.Equal("cohort", qc.Dataset);

        PipelineStage pca = pipeline.Stage("pca");
        Assert.Equal(10, pca.Integer("k"));
        Assert.Equal(10.0, pca.Number("k"));
        Assert.Equal(ulong.MaxValue, pca.UnsignedInteger("seed"));
        Assert.Equal(1e-6, pca.Number("tolerance"));
        Assert.Equal("randomized", pca.Choice("method"));

        PipelineStage clusters = pipeline.Stage("clusters");
        Assert.Equal((2, 6), clusters.Range("k-range"));
        Assert.Null(clusters.Integer("k"));
        Assert.False(clusters.Has("k"));
        Assert.Equal(["PC1", "PC2"], clusters.List("columns"));
        Assert.False(clusters.Bool("standardize"));
        Assert.Equal(0.0, clusters.Number("tolerance"));
        Assert.Equal("kmeans++", clusters.Choice("init"));

        PipelineStage height = pipeline.Stage("height");
        Assert.Equal(["age", "sex"], height.List("covariates"));
        Assert.Equal([new SourceMark(76, 9), new SourceMark(77, 9)], height.Value("covariates")!.ItemMarks);
        Assert.Equal(_fixture.Full("test-samples.txt"), height.Path("test-samples"));
        Assert.Equal("trait_q", height.Text("target"));
        Assert.Equal("linear", height.Choice("model"));
        Assert.Null(height.Number("test-fraction"));
    }

    [Fact]
    public void References_say_what_they_name_and_what_it_provides()
    {
        PipelineDefinition pipeline = _fixture.Parse(Complete);

        PipelineStage pca = pipeline.Stage("pca");
        Assert.Equal(new PipelineReference("variants", "ld", false, "ld-prune", PipelineProduct.VariantSelection, new SourceMark(43, 15)), pca.Reference("variants"));
        Assert.Equal(new PipelineReference("keep", "qc", false, "qc", PipelineProduct.QcSelection, new SourceMark(42, 11)), pca.Reference("keep"));
        Assert.Equal(new PipelineReference("dataset", "cohort", true, "dataset", PipelineProduct.Dataset, new SourceMark(41, 14)), pca.Reference("dataset"));

        Assert.Equal(PipelineProduct.PcaModel, pipeline.Stage("proj").Reference("model")!.Provides);
        Assert.Equal(PipelineProduct.Scores, pipeline.Stage("clusters").Reference("scores")!.Provides);
        PipelineReference phenotypes = pipeline.Stage("height").Reference("phenotypes")!;
        Assert.True(phenotypes.TargetIsInput);
        Assert.Equal("table", phenotypes.TargetKind);
        Assert.Equal(PipelineProduct.SampleTable, phenotypes.Provides);
        Assert.Equal(["model", "dataset", "phenotypes", "pcs"], pipeline.Stage("pred").References.Select(r => r.Key));
        Assert.Equal(PipelineProduct.TrainedModel, pipeline.Stage("pred").Reference("model")!.Provides);
        Assert.IsType<PipelineInput>(pipeline.Entry(phenotypes.Target));
        Assert.Same(pipeline.Stage("height"), pipeline.Entry(pipeline.Stage("pred").Reference("model")!.Target));
        Assert.Throws<KeyNotFoundException>(() => pipeline.Entry("nobody"));
    }

    [Fact]
    public void Errors_found_later_are_located_at_the_value_or_else_at_the_stage()
    {
        PipelineDefinition pipeline = _fixture.Parse(Complete);
        PipelineStage qc = pipeline.Stage("qc");

        var atValue = qc.Error("maf", "maf must be in [0, 0.5]; found 0.7");
        Assert.Equal((27L, 10), (atValue.Line!.Value, atValue.Column!.Value));
        Assert.Equal("pipeline.yaml, line 27, column 10: maf must be in [0, 0.5]; found 0.7", atValue.Message);
        var absent = pipeline.Stage("height").Error("test-fraction", "test-fraction must be in (0, 1)");
        Assert.Equal((69L, 3), (absent.Line!.Value, absent.Column!.Value));
        var generalized = qc.Error("qc needs at least one sample");
        Assert.Equal((24L, 3), (generalized.Line!.Value, generalized.Column!.Value));
    }

    [Fact]
    public void Asking_for_a_key_the_kind_lacks_or_with_the_wrong_accessor_is_a_caller_bug()
    {
        PipelineStage qc = _fixture.Parse(Complete).Stage("qc");

        Assert.Throws<ArgumentException>(() => qc.Number("mafx"));
        Assert.Throws<ArgumentException>(() => qc.Integer("maf"));
        Assert.Throws<ArgumentException>(() => qc.Error("k", "no k on a qc stage"));
    }

    [Fact]
    public void The_biobank_example_is_valid_and_runs_qc_first_and_predictions_last()
    {
        string path = PipelineFixture.Example;

        PipelineDefinition pipeline = PipelineFile.Load(path);

        Assert.Equal(path, pipeline.File);
        Assert.Equal(["cohort", "batch2"], pipeline.Inputs.Select(i => i.Name));
        Assert.Equal("qc", pipeline.Stages[0].Name);
        Assert.Equal(["batch2-height", "batch2-disease"], pipeline.Stages.TakeLast(2).Select(s => s.Name));
        Assert.Equal("logistic", pipeline.Stage("disease").Choice("model"));
    }
}
