using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Training;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Training;

public sealed class PredictionTests(TrainingCohort cohort) : IClassFixture<TrainingCohort>
{
    private static readonly string[] Covariates = ["age", "sex"];

    [Fact]
    public async Task Predicting_the_training_dataset_reproduces_the_training_predictions_bit_for_bit()
    {
        var (_, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Logistic, L2: 0.05, Rounds: 30), "trait_b", Covariates);
        ModelFile model = ModelFile.Load(dir);
        Prediction.Result result = await Prediction.RunAsync(TrainingCohort.Executor(), cohort.Dataset, model, cohort.Phenotypes, null, TestScratch.Root.CreateStore(), rowsPerShard: 333);
        string output = cohort.NewPath("predicted");
        Prediction.Write(result, model, output);

        Dictionary<string, string> trained = File.ReadLines(Path.Combine(dir, TrainingOutput.PredictionsFile)).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[1]);
        string[] predicted = File.ReadAllLines(Path.Combine(output, TrainingOutput.PredictionsFile));
        Assert.Equal("sample_id\tprediction", predicted[0]);
        Assert.Equal(cohort.Dataset.SampleCount + 1, predicted.Length);
        Assert.Equal(trained.Count, predicted.Skip(1).Select(l => l.Split('\t')).Count(f => trained[f[0]] == f[1]));
        Assert.Equal((600, 0), (result.Matched, result.Flipped));
        Assert.True(File.Exists(Path.Combine(output, TrainingOutput.MetricsFile)));
    }

    [Fact]
    public async Task Variants_stored_with_ref_and_alt_swapped_are_flipped()
    {
        var (_, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, L2: 0.5, Rounds: 30), "trait_q", Covariates);
        ModelFile model = ModelFile.Load(dir);
        string swapped = cohort.NewPath("swapped");
        Directory.CreateDirectory(swapped);
        SwapAlleles(cohort.Bed, Path.Combine(swapped, "cohort"));
        using Dataset dataset = Cohort.Import(Path.Combine(swapped, "cohort"), swapped, 100, 128);
        Prediction.Result original = await Prediction.RunAsync(TrainingCohort.Executor(), cohort.Dataset, model, cohort.Phenotypes, null, TestScratch.Root.CreateStore());
        Prediction.Result flipped = await Prediction.RunAsync(TrainingCohort.Executor(), dataset, model, cohort.Phenotypes, null, TestScratch.Root.CreateStore());
        Assert.Equal((600, 600), (flipped.Matched, flipped.Flipped));
        for (int s = 0; s < original.Margins.Length; s++)
        {
            Assert.Equal(original.Margins[s], flipped.Margins[s], 1e-9);
        }
        Assert.Equal(original.Metrics!.R2!.Value, flipped.Metrics!.R2!.Value, 1e-9);
    }

    [Fact]
    public async Task A_model_with_covariates_needs_them()
    {
        var (_, dir, _) = await cohort.Train(new TrainingSettings(TrainingModel.Linear, L2: 0.5, Rounds: 5), "trait_q", Covariates);
        var error = await Assert.ThrowsAsync<StageParameterException>(() => Prediction.RunAsync(TrainingCohort.Executor(), cohort.Dataset, ModelFile.Load(dir), null, null, TestScratch.Root.CreateStore()));
        Assert.Contains("covariates (age, sex)", error.Message, StringComparison.Ordinal);
        Assert.Equal("phenotypes", error.Parameter);
    }

    [Fact]
    public async Task Pcs_from_a_scores_table_are_features_and_prediction_needs_them()
    {
        string scoresDir = cohort.NewPath("pcs");
        Directory.CreateDirectory(scoresDir);
        // Two made-up PCs, one missing for the first sample (mean-imputed).
        string[] ids = [.. cohort.Phenotypes.SampleIds];
        await File.WriteAllLinesAsync(Path.Combine(scoresDir, "scores.tsv"),
            ["sample_id\tPC1\tPC2", .. ids.Skip(1).Select((id, i) => $"{id}\t{Math.Sin(i)}\t{Math.Cos(i * 0.5)}")]);
        SampleTable pcs = SampleTable.Read(Path.Combine(scoresDir, "scores.tsv"));
        TrainingData data = TrainingData.Build(cohort.Dataset, cohort.Phenotypes, "trait_q", Covariates, pcs, TrainingModel.Linear, cohort.Split,
            cohort.NewPath("shards"), rowsPerShard: TrainingCohort.RowsPerShard);
        Assert.Equal(["age", "sex", "PC1", "PC2"], data.ExtraNames);
        TrainingResult result = await Trainer.RunAsync(TrainingCohort.Executor(), data, new TrainingSettings(TrainingModel.Linear, Aggregation.Exact, L2: 0.5), TestScratch.Root.CreateStore());
        string dir = cohort.NewPath("model");
        TrainingOutput.Write(result, data, cohort.Split, dir, TrainingCohort.RowsPerShard, scoresDir);
        ModelFile model = ModelFile.Load(dir);
        Assert.Equal(["PC1", "PC2"], model.Pcs.Select(p => p.Name));
        Assert.Equal(scoresDir, model.PcaSource);

        var error = await Assert.ThrowsAsync<StageParameterException>(() => Prediction.RunAsync(TrainingCohort.Executor(), cohort.Dataset, model, cohort.Phenotypes, null, TestScratch.Root.CreateStore()));
        Assert.Equal("pcs", error.Parameter);
        Assert.Contains("the model uses 2 PCs", error.Message, StringComparison.Ordinal);
        Prediction.Result scored = await Prediction.RunAsync(TrainingCohort.Executor(), cohort.Dataset, model, cohort.Phenotypes, pcs, TestScratch.Root.CreateStore());
        Dictionary<string, double> trained = data.SampleIds.Select((id, r) => (id, r)).ToDictionary(x => x.id, x => result.Margins[x.r]);
        for (int s = 0; s < scored.SampleIds.Count; s++)
        {
            Assert.Equal(trained[scored.SampleIds[s]], scored.Margins[s]);
        }
    }

    /// <summary>Writes the bed fileset with every variant's REF and ALT swapped (bim columns 5/6 and codes 00/11).</summary>
    private static void SwapAlleles(string prefix, string target)
    {
        File.Copy(prefix + ".fam", target + ".fam");
        File.WriteAllLines(target + ".bim", File.ReadLines(prefix + ".bim").Select(l =>
        {
            string[] f = l.Split('\t');
            (f[4], f[5]) = (f[5], f[4]);
            return string.Join('\t', f);
        }));
        byte[] bed = File.ReadAllBytes(prefix + ".bed");
        var table = new byte[256];
        for (int v = 0; v < 256; v++)
        {
            int swappedByte = 0;
            for (int k = 0; k < 4; k++)
            {
                int code = (v >> (2 * k)) & 3;
                swappedByte |= (code is 0 or 3 ? 3 - code : code) << (2 * k);
            }
            table[v] = (byte)swappedByte;
        }
        int samples = File.ReadLines(prefix + ".fam").Count();
        int stride = (samples + 3) / 4;
        for (int i = 3; i < bed.Length; i++)
        {
            bed[i] = table[bed[i]];
            if ((i - 3) % stride == stride - 1 && samples % 4 != 0)
            {
                bed[i] &= (byte)((1 << (2 * (samples % 4))) - 1);
            }
        }
        File.WriteAllBytes(target + ".bed", bed);
    }
}
