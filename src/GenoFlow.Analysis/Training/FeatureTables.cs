using GenoFlow.Analysis.Output;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The interpretability tables of a trained model. <c>top_features.tsv</c>: every feature ranked by |standardised
/// weight| (ties in feature order), <c>rank kind name chrom pos id ref alt effect_allele weight</c>; a variant's weight
/// is per standard deviation of its ALT count (the effect allele), other features leave the variant columns empty.
/// <c>feature_importance.tsv</c>: <see cref="PermutationImportance"/> per feature group,
/// <c>name kind features metric baseline importance_mean importance_sd</c>.
/// </summary>
public static class FeatureTables
{
    public const string TopFeaturesFile = "top_features.tsv";
    public const string ImportanceFile = "feature_importance.tsv";

    /// <summary>One ranked feature; <see cref="Variant"/> is null for covariates, PCs and table columns.</summary>
    public sealed record RankedFeature(int Rank, string Kind, string Name, VariantInfo? Variant, double Weight);

    public static IReadOnlyList<RankedFeature> Rank(TrainingResult result, TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(data);
        int variants = data.Variants.Count;
        int[] order = [.. Enumerable.Range(0, data.Parameters).OrderByDescending(j => Math.Abs(result.Theta[j])).ThenBy(j => j)];
        return [.. order.Select((j, i) => j < variants
            ? new RankedFeature(i + 1, "variant", data.Variants[j].Id, data.Variants[j], result.Theta[j])
            : new RankedFeature(i + 1, data.ExtraKind(j - variants), data.ExtraNames[j - variants], null, result.Theta[j]))];
    }

    public static void WriteTopFeatures(string path, IReadOnlyList<RankedFeature> ranked)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        using StreamWriter writer = TextTable.Create(path);
        writer.WriteLine("rank\tkind\tname\tchrom\tpos\tid\tref\talt\teffect_allele\tweight");
        foreach (RankedFeature f in ranked)
        {
            string variant = f.Variant is { } v ? $"{v.Chrom}\t{v.Position}\t{v.Id}\t{v.Ref}\t{v.Alt}\t{v.Alt}" : "\t\t\t\t\t";
            writer.WriteLine($"{f.Rank}\t{f.Kind}\t{f.Name}\t{variant}\t{TextTable.Format(f.Weight)}");
        }
    }

    public static void WriteImportance(string path, IReadOnlyList<FeatureImportance> importance)
    {
        ArgumentNullException.ThrowIfNull(importance);
        using StreamWriter writer = TextTable.Create(path);
        writer.WriteLine("name\tkind\tfeatures\tmetric\tbaseline\timportance_mean\timportance_sd");
        foreach (FeatureImportance f in importance)
        {
            writer.WriteLine($"{f.Name}\t{f.Kind}\t{f.Features}\t{f.Metric}\t{TextTable.Format(f.Baseline)}\t{TextTable.Format(f.ImportanceMean)}\t{TextTable.Format(f.ImportanceSd)}");
        }
    }
}
