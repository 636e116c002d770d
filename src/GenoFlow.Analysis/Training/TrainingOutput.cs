using System.Text.Json;
using System.Text.Json.Serialization;
using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Pca;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Writes a trained model into a directory, atomically: <c>model.json</c> (<see cref="ModelFile"/>),
/// <c>predictions.tsv</c> (<c>sample_id prediction split</c> for every row with a target; the prediction is the fitted
/// value (linear) or P(y = 1) (logistic)), <c>metrics.json</c> (final train/test metrics, per-round history,
/// cross-validation scores), <c>top_features.tsv</c> and, with test rows, <c>feature_importance.tsv</c> (<see cref="FeatureTables"/>).
/// </summary>
public static class TrainingOutput
{
    public const string ModelFileName = "model.json";
    public const string PredictionsFile = "predictions.tsv";
    public const string MetricsFile = "metrics.json";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <returns>The model as model.json holds it.</returns>
    /// <param name="recovery">How the ranking recovers known causal variants (metrics.json causal_recovery), or null.</param>
    public static ModelFile Write(TrainingResult result, TrainingData data, TestSplit split, string directory, int rowsPerShard, string? pcaSource,
        IReadOnlyList<RecoveryAtK>? recovery = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(split);
        ModelFile model = ModelFile.Of(result, data, split, rowsPerShard, pcaSource);
        OutputDirectory.Publish(directory, staging =>
        {
            File.WriteAllBytes(Path.Join(staging, ModelFileName), JsonSerializer.SerializeToUtf8Bytes(model, Json));
            WritePredictions(Path.Join(staging, PredictionsFile), result.Settings.Model, data.SampleIds, result.Margins, r => data.IsTest[r] ? "test" : "train");
            var metrics = new MetricsFile(result.Settings.Model, result.Train, result.Test, result.Objective, result.Rounds, result.Converged, model.Samples, result.History,
                result.CrossValidation, recovery, result.Settings.Aggregate, result.AggregateReason);
            File.WriteAllBytes(Path.Join(staging, MetricsFile), JsonSerializer.SerializeToUtf8Bytes(metrics, Json));
            FeatureTables.WriteTopFeatures(Path.Join(staging, FeatureTables.TopFeaturesFile), FeatureTables.Rank(result, data));
            if (result.Importance.Count > 0)
            {
                FeatureTables.WriteImportance(Path.Join(staging, FeatureTables.ImportanceFile), result.Importance);
            }
        });
        return model;
    }

    /// <summary>predictions.tsv: <c>sample_id prediction</c>, and <c>split</c> when <paramref name="split"/> is given.</summary>
    internal static void WritePredictions(string path, TrainingModel model, IReadOnlyList<string> sampleIds, double[] margins, Func<int, string>? split)
    {
        using StreamWriter writer = TextTable.Create(path);
        writer.WriteLine(split is null ? "sample_id\tprediction" : "sample_id\tprediction\tsplit");
        for (int r = 0; r < sampleIds.Count; r++)
        {
            string prediction = TextTable.Format(Losses.Prediction(model, margins[r]));
            writer.WriteLine(split is null ? $"{sampleIds[r]}\t{prediction}" : $"{sampleIds[r]}\t{prediction}\t{split(r)}");
        }
    }

    public static string VariantKey(VariantInfo variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return $"{variant.Chrom}:{variant.Position}:{variant.Ref}:{variant.Alt}";
    }
}

/// <summary>
/// model.json. A sample's margin is intercept + Σ weight · (x − mean) · scaling over variants (x = ALT count),
/// covariates, PCs and feature-table columns (<see cref="Features"/>, null without), a missing value contributing 0; scaling is 1/sd over the training samples (0 for a constant
/// feature). The prediction is the margin (linear) or 1/(1 + e^−margin) (logistic); a logistic model also records the
/// probability threshold that maximised Youden's J on its training rows.
/// </summary>
public sealed record ModelFile(
    string Format,
    TrainingModel Model,
    string Target,
    Aggregation Aggregate,
    HyperParameters HyperParameters,
    int Rounds,
    bool Converged,
    double Intercept,
    IReadOnlyList<FeatureWeight> Covariates,
    IReadOnlyList<FeatureWeight> Pcs,
    string? PcaSource,
    IReadOnlyList<VariantWeight> Variants,
    SampleCounts Samples,
    string DatasetChecksum,
    CrossValidation? CrossValidation,
    double? YoudenThreshold = null,
    IReadOnlyList<FeatureWeight>? Features = null,
    string? AggregateReason = null)
{
    public const string CurrentFormat = "genoflow-model/1";

    internal static ModelFile Of(TrainingResult result, TrainingData data, TestSplit split, int rowsPerShard, string? pcaSource)
    {
        int v = data.Variants.Count;
        FeatureWeight Extra(int c) => new(data.ExtraNames[c], result.Theta[v + c], result.Mean[v + c], result.InverseSd[v + c]);
        TrainingSettings s = result.Settings;
        return new ModelFile(CurrentFormat, s.Model, data.Target, s.Aggregate,
            new HyperParameters(result.L1, result.L2, s.Rounds, s.LocalEpochs, s.Tolerance, result.Step, s.Seed, split.Samples is null ? split.Fraction : null, rowsPerShard,
                s.Weights.ToString(), result.ClassWeights.Negative, result.ClassWeights.Positive, split.Stratified, s.Folds, s.SelectTop),
            result.Rounds, result.Converged, result.Theta[^1],
            [.. Enumerable.Range(0, data.CovariateCount).Select(Extra)],
            [.. Enumerable.Range(data.CovariateCount, data.PcCount).Select(Extra)],
            pcaSource,
            [.. data.Variants.Select((variant, j) => new VariantWeight(TrainingOutput.VariantKey(variant), variant.Id, result.Theta[j], result.Mean[j], result.InverseSd[j]))],
            new SampleCounts(data.TrainRows, data.TestRows, data.MissingTarget, data.NoPhenotype, data.Excluded, data.FeatureTables.Count > 0 ? data.FeatureTables : null),
            data.DatasetChecksum, result.CrossValidation, result.YoudenThreshold,
            data.FeatureTables.Count > 0 ? [.. Enumerable.Range(data.CovariateCount + data.PcCount, data.ExtraNames.Count - data.CovariateCount - data.PcCount).Select(Extra)] : null,
            result.AggregateReason);
    }

    public static ModelFile Load(string directory)
    {
        string path = Path.Join(directory, TrainingOutput.ModelFileName);
        if (!File.Exists(path))
        {
            throw new Core.GenoFlowFormatException(path, "missing: not a `genoflow train` output directory");
        }
        ModelFile? model;
        try
        {
            model = JsonSerializer.Deserialize<ModelFile>(File.ReadAllBytes(path), TrainingOutput.Json);
        }
        catch (JsonException e)
        {
            throw new Core.GenoFlowFormatException(path, $"not a GenoFlow model ({e.Message})", inner: e);
        }
        if (model is null || model.Format != CurrentFormat)
        {
            throw new Core.GenoFlowFormatException(path, $"format '{model?.Format}' is not {CurrentFormat}");
        }
        return model;
    }
}

/// <param name="TestFraction">Null when the test samples were listed.</param>
/// <param name="Step">Step size of the averaging rounds (0 for exact).</param>
/// <param name="ClassWeight">--class-weight (none, balanced or W1) and the weights it gave class 0 and class 1.</param>
/// <param name="StratifiedTest">Whether the test fraction was drawn per class.</param>
/// <param name="SelectTop">--select-top K (the unselected variants have weight 0), or null.</param>
public sealed record HyperParameters(double L1, double L2, int RoundLimit, int LocalEpochs, double Tolerance, double Step, ulong Seed, double? TestFraction, int RowsPerShard,
    string ClassWeight = "none", double NegativeWeight = 1, double PositiveWeight = 1, bool StratifiedTest = false, int Folds = TrainingSettings.DefaultFolds,
    int? SelectTop = null);

public sealed record FeatureWeight(string Name, double Weight, double Mean, double Scaling);

/// <param name="Key">chrom:pos:ref:alt.</param>
public sealed record VariantWeight(string Key, string Id, double Weight, double Mean, double Scaling);

/// <param name="Excluded">Removed by --keep-qc's sample filter.</param>
/// <param name="FeatureTables">Per --features table, the samples with a target it lacks and its missing cells (null without tables).</param>
public sealed record SampleCounts(int Train, int Test, int MissingTarget, int NoPhenotype, int Excluded, IReadOnlyList<Tables.FeatureTableCounts>? FeatureTables = null);

/// <summary>metrics.json; <see cref="CausalRecovery"/> when the causal variants were given.</summary>
public sealed record MetricsFile(TrainingModel Model, TrainingMetrics Train, TrainingMetrics? Test, double Objective, int Rounds, bool Converged, SampleCounts Samples,
    IReadOnlyList<RoundRecord> History, CrossValidation? CrossValidation, IReadOnlyList<RecoveryAtK>? CausalRecovery, Aggregation Aggregate, string? AggregateReason);
