using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The rows a model trains on, as a genotype-carrying sample shard set: one row per dataset sample (in dataset order)
/// that has a phenotype row and a target, holding <c>[target, split, fold, covariates..., PCs...]</c> (folds from
/// <see cref="CrossValidationFolds"/>); each shard's genotypes
/// at the selected variants are built on the node that loads it. Shards are <c>rowsPerShard</c> consecutive rows, so
/// the shard count never depends on the number of nodes. The coordinator keeps only ids, targets and splits.
/// </summary>
public sealed class TrainingData
{
    public const int DefaultRowsPerShard = 2048;

    private TrainingData(SampleShardSet shards, string target, string[] sampleIds, double[] targets, bool[] isTest, int[] folds, string[] extraNames, int covariates, int pcs,
        IReadOnlyList<FeatureTableCounts> featureTables,
        VariantInfo[] variants, long[] variantIndices, string[] variantRegions, int noPhenotype, int missingTarget, int excluded, string datasetChecksum)
    {
        Shards = shards;
        Target = target;
        SampleIds = sampleIds;
        Targets = targets;
        IsTest = isTest;
        Folds = folds;
        ExtraNames = extraNames;
        CovariateCount = covariates;
        PcCount = pcs;
        FeatureTables = featureTables;
        Variants = variants;
        VariantIndices = variantIndices;
        VariantRegions = variantRegions;
        NoPhenotype = noPhenotype;
        MissingTarget = missingTarget;
        Excluded = excluded;
        DatasetChecksum = datasetChecksum;
    }

    public SampleShardSet Shards { get; }

    public string Target { get; }

    /// <summary>Per row (shard set order).</summary>
    public IReadOnlyList<string> SampleIds { get; }

    public IReadOnlyList<double> Targets { get; }

    public IReadOnlyList<bool> IsTest { get; }

    /// <summary>Per row, its cross-validation fold (<see cref="CrossValidationFolds.Test"/> for test rows).</summary>
    public IReadOnlyList<int> Folds { get; }

    /// <summary>Covariate names, then PC names, then feature-table columns: the extra features after the variants.</summary>
    public IReadOnlyList<string> ExtraNames { get; }

    public int CovariateCount { get; }

    public int PcCount { get; }

    /// <summary>Per --features table, the training samples it lacks and its missing cells among them.</summary>
    public IReadOnlyList<FeatureTableCounts> FeatureTables { get; }

    /// <summary>What extra feature <paramref name="extra"/> is: covariate, pc or feature (a --features table column).</summary>
    public string ExtraKind(int extra) => extra < CovariateCount ? "covariate" : extra < CovariateCount + PcCount ? "pc" : "feature";

    public IReadOnlyList<VariantInfo> Variants { get; }

    public IReadOnlyList<long> VariantIndices { get; }

    /// <summary>Per selected variant, the dataset region holding it, as <c>contig:first-last</c> (positions).</summary>
    public IReadOnlyList<string> VariantRegions { get; }

    /// <summary>Dataset samples without a row in the phenotype file.</summary>
    public int NoPhenotype { get; }

    /// <summary>Samples left out because their target is missing.</summary>
    public int MissingTarget { get; }

    /// <summary>Samples removed by a sample filter (--keep-qc).</summary>
    public int Excluded { get; }

    public string DatasetChecksum { get; }

    public int Parameters => Variants.Count + ExtraNames.Count;

    public int TestRows => IsTest.Count(t => t);

    public int TrainRows => IsTest.Count - TestRows;

    /// <summary>
    /// Builds the shard set at <paramref name="shardPath"/>, with <paramref name="folds"/> cross-validation folds seeded
    /// by the split's seed. A logistic target must be 0/1 with both classes among the training rows. Errors name the
    /// phenotype file and column.
    /// </summary>
    public static TrainingData Build(Dataset dataset, SampleTable phenotypes, string target, IReadOnlyList<string> covariates, SampleTable? pcs,
        TrainingModel model, TestSplit split, string shardPath, bool[]? variantKeep = null, bool[]? sampleKeep = null, int rowsPerShard = DefaultRowsPerShard,
        int folds = TrainingSettings.DefaultFolds, IReadOnlyList<FeatureTable>? features = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(phenotypes);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(split);
        int targetColumn = phenotypes.ColumnIndex(target, "target");
        int[] covariateColumns = [.. covariates.Select(c => phenotypes.ColumnIndex(c, "covariate"))];
        int[] pcColumns = pcs is null ? [] : [.. Enumerable.Range(0, pcs.Columns.Count)];
        features ??= [];
        FeatureTable.CheckDistinct([.. covariates, .. pcColumns.Select(c => pcs!.Columns[c])], features);
        string[] extraNames = [.. covariates, .. pcColumns.Select(c => pcs!.Columns[c]), .. features.SelectMany(f => f.Names)];
        IReadOnlyList<SampleInfo> samples = dataset.ReadSamples();
        if (!samples.Any(s => phenotypes.TryGetRow(s.SampleId, out _)))
        {
            throw new GenoFlowFormatException(phenotypes.Source, $"none of its {phenotypes.RowCount:N0} sample ids is a sample of dataset {dataset.Path}");
        }
        if (split.Samples is { } listed && !samples.Any(s => listed.Contains(s.SampleId)))
        {
            throw new StageParameterException("test-samples", $"lists {listed.Count:N0} samples, none of them a sample of dataset {dataset.Path}");
        }
        var variants = new List<VariantInfo>();
        var variantIndices = new List<long>();
        long index = 0;
        foreach (VariantInfo variant in dataset.ReadVariants())
        {
            if (variantKeep is null || variantKeep[index])
            {
                variants.Add(variant);
                variantIndices.Add(index);
            }
            index++;
        }
        IReadOnlyList<RegionInfo> regions = dataset.Manifest.Regions;
        string[] variantRegions = [.. variantIndices.Select(v =>
        {
            RegionInfo region = regions[RegionOf(regions, v)];
            return $"{region.Contig}:{region.FirstPosition}-{region.LastPosition}";
        })];
        DatasetRef reference = DatasetRef.Of(dataset);
        var ids = new List<string>();
        var targets = new List<double>();
        var isTest = new List<bool>();
        var rows = new List<(int Sample, int Row)>();
        int noPhenotype = 0, missingTarget = 0, excluded = 0;
        var classes = new HashSet<double>();
        for (int s = 0; s < samples.Count; s++)
        {
            string id = samples[s].SampleId;
            if (sampleKeep is not null && !sampleKeep[s])
            {
                excluded++;
                continue;
            }
            if (!phenotypes.TryGetRow(id, out int row))
            {
                noPhenotype++;
                continue;
            }
            double y = phenotypes.Number(row, targetColumn, "target");
            if (double.IsNaN(y))
            {
                missingTarget++;
                continue;
            }
            if (model == TrainingModel.Logistic && y is not (0 or 1))
            {
                throw phenotypes.Error(row, targetColumn, $"target column '{target}' of a logistic model must be 0 or 1; found {y}");
            }
            bool test = split.IsTest(id);
            rows.Add((s, row));
            ids.Add(id);
            targets.Add(y);
            isTest.Add(test);
            if (!test)
            {
                classes.Add(y);
            }
        }
        if (split.Stratified)
        {
            if (model != TrainingModel.Logistic)
            {
                throw new StageParameterException("stratify", "stratifies the test split by class, so it needs a logistic model");
            }
            bool[] stratified = split.StratifiedTest(ids, targets);
            classes.Clear();
            for (int i = 0; i < ids.Count; i++)
            {
                isTest[i] = stratified[i];
                if (!isTest[i])
                {
                    classes.Add(targets[i]);
                }
            }
        }
        if (isTest.All(t => t))
        {
            throw new StageException(ids.Count == 0
                ? $"no sample of {dataset.Path} has a value in target column '{target}' of {phenotypes.Source}"
                : $"all {ids.Count:N0} samples with a target are test samples; nothing is left to train on");
        }
        if (model == TrainingModel.Logistic && classes.Count < 2)
        {
            throw new GenoFlowFormatException(phenotypes.Source, $"target column '{target}' has a single class ({classes.Single()}) among the {isTest.Count(t => !t):N0} training samples; a logistic model needs both 0 and 1");
        }
        int[] fold = CrossValidationFolds.Assign(ids, targets, isTest, folds, split.Seed, stratify: model == TrainingModel.Logistic);
        var values = new double[3 + extraNames.Length];
        FeatureTableJoin joined = FeatureTableJoin.Of(ids, features);
        using SampleShardSetWriter writer = SampleShardSetWriter.Create(shardPath, ["target", "split", "fold", .. extraNames], rowsPerShard, reference, variantIndices.ToArray());
        for (int i = 0; i < rows.Count; i++)
        {
            var (s, row) = rows[i];
            values[0] = targets[i];
            values[1] = isTest[i] ? 1 : 0;
            values[2] = fold[i];
            for (int c = 0; c < covariateColumns.Length; c++)
            {
                values[3 + c] = phenotypes.Number(row, covariateColumns[c], "covariate");
            }
            for (int c = 0; c < pcColumns.Length; c++)
            {
                values[3 + covariateColumns.Length + c] = pcs!.TryGetRow(ids[i], out int pcRow) ? pcs.Number(pcRow, pcColumns[c], "PC") : double.NaN;
            }
            int at = 3 + covariateColumns.Length + pcColumns.Length;
            for (int c = 0; c < joined.Columns.Count; c++)
            {
                values[at + c] = joined.Columns[c][i];
            }
            writer.Add(ids[i], s, values);
        }
        SampleShardSet set = writer.Commit();
        IReadOnlyList<FeatureTableCounts> tableCounts = joined.Counts;
        return new TrainingData(set, target, [.. ids], [.. targets], [.. isTest], fold, extraNames, covariateColumns.Length, pcColumns.Length, tableCounts, [.. variants], [.. variantIndices], variantRegions,
            noPhenotype, missingTarget, excluded, reference.ManifestChecksum);
    }

    /// <summary>The region holding dataset variant <paramref name="variant"/> (regions are in variant order).</summary>
    private static int RegionOf(IReadOnlyList<RegionInfo> regions, long variant)
    {
        int low = 0, high = regions.Count - 1;
        while (low < high)
        {
            int mid = (low + high + 1) / 2;
            if (regions[mid].FirstVariant <= variant)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }
}
