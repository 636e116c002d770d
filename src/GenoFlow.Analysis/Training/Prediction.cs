using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Scores every sample of a dataset with a saved model (<see cref="ModelFile"/>). Model variants are matched on
/// chrom:pos:ref:alt; a variant stored with REF and ALT swapped counts 2 − g ALT alleles (mean 2 − μ, scaling −s), as
/// <c>genoflow project</c> does; a model variant the dataset lacks contributes 0 (its mean). Covariates come from a
/// phenotype table and PCs from a scores table (a <c>genoflow project</c> or <c>pca</c> output), standardised with the
/// saved means and scalings; a sample missing from a table gets the mean (0). The same margin operation as training runs
/// over a genotype-carrying shard set of the dataset's samples, so a model's own samples get their training
/// predictions back bit for bit.
/// </summary>
public static class Prediction
{
    /// <summary>Prediction refuses to run when fewer model variants than this fraction are found.</summary>
    public const double MinOverlapFraction = 0.5;

    public sealed record Result(IReadOnlyList<string> SampleIds, double[] Margins, double[] Targets, int Matched, int Flipped, int ModelVariants, TrainingMetrics? Metrics);

    /// <param name="features">The --features tables holding the model's feature-table columns (looked up by name, first table first).</param>
    public static async Task<Result> RunAsync(IJobExecutor executor, Dataset dataset, ModelFile model, SampleTable? phenotypes, SampleTable? pcs, ScratchStore store,
        int rowsPerShard = TrainingData.DefaultRowsPerShard, IReadOnlyList<SampleTable>? features = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(store);
        if (model.Covariates.Count > 0 && phenotypes is null)
        {
            throw new StageParameterException("phenotypes", $"is needed: the model uses covariates ({string.Join(", ", model.Covariates.Select(c => c.Name))})");
        }
        if (model.Pcs.Count > 0 && pcs is null)
        {
            throw new StageParameterException("pcs", $"is needed: the model uses {model.Pcs.Count} PCs; give the samples' scores (project them onto the PCA model the model was trained with first)");
        }
        int[] covariateColumns = [.. model.Covariates.Select(c => phenotypes!.ColumnIndex(c.Name, "covariate"))];
        int[] pcColumns = [.. model.Pcs.Select(c => pcs!.ColumnIndex(c.Name, "PC"))];
        int targetColumn = phenotypes?.Columns.ToList().IndexOf(model.Target) ?? -1;
        IReadOnlyList<FeatureWeight> modelFeatures = model.Features ?? [];
        (SampleTable Table, int Column)[] featureColumns = [.. modelFeatures.Select(f => FeatureColumn(features ?? [], f.Name))];

        var keyIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < model.Variants.Count; j++)
        {
            keyIndex.TryAdd(model.Variants[j].Key, j);
        }
        var selected = new List<long>();
        var weights = new List<double>();
        var means = new List<double>();
        var scalings = new List<double>();
        var seen = new bool[model.Variants.Count];
        int flipped = 0;
        long index = 0;
        foreach (VariantInfo variant in dataset.ReadVariants())
        {
            bool found = keyIndex.TryGetValue(TrainingOutput.VariantKey(variant), out int j);
            bool flip = !found && keyIndex.TryGetValue(TrainingOutput.VariantKey(variant with { Ref = variant.Alt, Alt = variant.Ref }), out j);
            if ((found || flip) && !seen[j])
            {
                seen[j] = true;
                VariantWeight w = model.Variants[j];
                selected.Add(index);
                weights.Add(w.Weight);
                means.Add(flip ? 2 - w.Mean : w.Mean);
                scalings.Add(flip ? -w.Scaling : w.Scaling);
                flipped += flip ? 1 : 0;
            }
            index++;
        }
        if (selected.Count < MinOverlapFraction * model.Variants.Count)
        {
            throw new StageException($"only {selected.Count:N0} of the model's {model.Variants.Count:N0} variants are in {dataset.Path} (matched on chrom:pos:ref:alt, allowing swapped alleles); prediction needs at least {MinOverlapFraction:P0}");
        }
        FeatureWeight[] extras = [.. model.Covariates, .. model.Pcs, .. modelFeatures];
        double[] theta = [.. weights, .. extras.Select(e => e.Weight), model.Intercept];
        store.Write<double>("scaling", [.. means, .. extras.Select(e => e.Mean), .. scalings, .. extras.Select(e => e.Scaling)]);
        store.Write<double>("model", theta);

        IReadOnlyList<SampleInfo> samples = dataset.ReadSamples();
        var targets = new double[samples.Count];
        var values = new double[3 + extras.Length];
        SampleShardSet set;
        using (SampleShardSetWriter writer = SampleShardSetWriter.Create(store.DirectoryOf("shards"), ["target", "split", "fold", .. extras.Select(e => e.Name)], rowsPerShard,
            DatasetRef.Of(dataset), selected.ToArray()))
        {
            for (int s = 0; s < samples.Count; s++)
            {
                int row = -1;
                bool listed = phenotypes?.TryGetRow(samples[s].SampleId, out row) ?? false;
                targets[s] = listed && targetColumn >= 0 ? phenotypes!.Number(row, targetColumn, "target") : double.NaN;
                values[0] = targets[s];
                values[1] = 1;
                values[2] = CrossValidationFolds.Test;
                for (int c = 0; c < covariateColumns.Length; c++)
                {
                    values[3 + c] = listed ? phenotypes!.Number(row, covariateColumns[c], "covariate") : double.NaN;
                }
                for (int c = 0; c < pcColumns.Length; c++)
                {
                    values[3 + covariateColumns.Length + c] = pcs!.TryGetRow(samples[s].SampleId, out int pcRow) ? pcs.Number(pcRow, pcColumns[c], "PC") : double.NaN;
                }
                for (int c = 0; c < featureColumns.Length; c++)
                {
                    var (table, column) = featureColumns[c];
                    values[3 + covariateColumns.Length + pcColumns.Length + c] = table.TryGetRow(samples[s].SampleId, out int featureRow) ? table.Number(featureRow, column, "feature") : double.NaN;
                }
                writer.Add(samples[s].SampleId, s, values);
            }
            set = writer.Commit();
        }
        var step = new TrainingStep(store.JobId, "scaling", model.Model, "model", "", "", HoldOut: ShardFeatures.NoFold, Epochs: 0, Step: 0, L1: 0, L2: 0);
        int shards = set.ShardCount;
        var margins = new double[samples.Count];
        await executor.RunAsync(new SampleShardJob(ShardSetRef.Of(set), LocalFitOperation.OperationName, shards, s => (step with { Margins = $"margins-s{s}" }).Encode()),
            (s, _) =>
            {
                store.Read<double>($"margins-s{s}").CopyTo(margins, set.Manifest.Shards[s].FirstRow);
                store.Remove($"margins-s{s}");
            }, null, ct).ConfigureAwait(false);
        TrainingMetrics? metrics = targetColumn >= 0 ? TrainingMetrics.Of(model.Model, targets, margins, s => !double.IsNaN(targets[s]), model.YoudenThreshold) : null;
        return new Result([.. samples.Select(s => s.SampleId)], margins, targets, selected.Count, flipped, model.Variants.Count, metrics);
    }

    private static (SampleTable, int) FeatureColumn(IReadOnlyList<SampleTable> tables, string name)
    {
        foreach (SampleTable table in tables)
        {
            int column = table.Columns.ToList().IndexOf(name);
            if (column >= 0)
            {
                return (table, column);
            }
        }
        throw new StageParameterException("features", $"the model uses feature '{name}', which none of the given --features tables has ({tables.Count} given)");
    }

    /// <summary>DIR/predictions.tsv (<c>sample_id prediction</c>, every sample) and, when targets were given, DIR/metrics.json; atomically.</summary>
    public static void Write(Result result, ModelFile model, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(model);
        OutputDirectory.Publish(directory, staging =>
        {
            TrainingOutput.WritePredictions(Path.Join(staging, TrainingOutput.PredictionsFile), model.Model, result.SampleIds, result.Margins, null);
            if (result.Metrics is not null)
            {
                var metrics = new PredictionMetrics(model.Model, model.Target, result.Metrics, result.Matched, result.Flipped, result.ModelVariants);
                File.WriteAllBytes(Path.Join(staging, TrainingOutput.MetricsFile), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(metrics, TrainingOutput.Json));
            }
        });
    }
}

/// <summary>metrics.json of <c>genoflow predict</c> when the phenotype table has the model's target.</summary>
public sealed record PredictionMetrics(TrainingModel Model, string Target, TrainingMetrics Metrics, int MatchedVariants, int FlippedVariants, int ModelVariants);
