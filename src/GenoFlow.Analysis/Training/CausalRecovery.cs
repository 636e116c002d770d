using System.Globalization;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// How many known causal variants (a simulation's <c>causal_variants.tsv</c>: <c>variant_id</c> and <c>beta</c>
/// columns) a model ranks at the top: among the model's variants ranked by |standardised weight|, precision and recall
/// at k of the causal ones in the model, and the recall of the strong ones (|beta| at or above the median).
/// </summary>
public static class CausalRecovery
{
    /// <summary>The causal variants' ids and effects, read from a truth table; errors name the file and line.</summary>
    public static IReadOnlyDictionary<string, double> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path);
        string[] header = (reader.ReadLine() ?? throw new GenoFlowFormatException(path, "empty; expected a header with variant_id and beta")).Split('\t');
        int id = Array.IndexOf(header, "variant_id"), beta = Array.IndexOf(header, "beta");
        if (id < 0 || beta < 0)
        {
            throw new GenoFlowFormatException(path, "header needs columns variant_id and beta (as simulate's causal_variants.tsv)", line: 1);
        }
        var effects = new Dictionary<string, double>(StringComparer.Ordinal);
        long line = 1;
        for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            string[] fields = text.Split('\t');
            if (fields.Length != header.Length)
            {
                throw new GenoFlowFormatException(path, $"{fields.Length} fields; the header has {header.Length}", line);
            }
            if (!double.TryParse(fields[beta], NumberStyles.Float, CultureInfo.InvariantCulture, out double effect))
            {
                throw new GenoFlowFormatException(path, $"beta '{fields[beta]}' is not a number", line, beta + 1);
            }
            if (!effects.TryAdd(fields[id], effect))
            {
                throw new GenoFlowFormatException(path, $"variant '{fields[id]}' is listed twice", line, id + 1);
            }
        }
        return effects;
    }

    /// <summary>Recovery by a trained model's variant ranking (<see cref="FeatureTables.Rank"/>).</summary>
    public static IReadOnlyList<RecoveryAtK> Of(TrainingResult result, TrainingData data, IReadOnlyDictionary<string, double> causal) =>
        Of([.. FeatureTables.Rank(result, data).Where(f => f.Variant is not null).Select(f => f.Name)], causal);

    /// <param name="rankedVariantIds">The model's variants, strongest weight first.</param>
    /// <returns>Precision and recall at each k (and at k = the number of causal variants in the model).</returns>
    public static IReadOnlyList<RecoveryAtK> Of(IReadOnlyList<string> rankedVariantIds, IReadOnlyDictionary<string, double> causal)
    {
        ArgumentNullException.ThrowIfNull(rankedVariantIds);
        ArgumentNullException.ThrowIfNull(causal);
        string[] present = [.. rankedVariantIds.Where(causal.ContainsKey)];
        if (present.Length == 0)
        {
            return [];
        }
        double[] strength = [.. present.Select(v => Math.Abs(causal[v])).Order()];
        double median = strength[strength.Length / 2];
        var strong = present.Where(v => Math.Abs(causal[v]) >= median).ToHashSet(StringComparer.Ordinal);
        int[] ks = [.. new[] { 10, 25, 50, 100, present.Length }.Where(k => k <= rankedVariantIds.Count).Distinct().Order()];
        return [.. ks.Select(k =>
        {
            string[] top = [.. rankedVariantIds.Take(k)];
            int hits = top.Count(causal.ContainsKey);
            return new RecoveryAtK(k, hits, (double)hits / k, (double)hits / present.Length, (double)top.Count(strong.Contains) / strong.Count);
        })];
    }
}

/// <param name="StrongRecall">Share of the strong causal variants (|beta| ≥ median) in the top k.</param>
public sealed record RecoveryAtK(int K, int Hits, double Precision, double Recall, double StrongRecall);
