namespace GenoFlow.Analysis.Training;

/// <summary>
/// Permutation feature importance on the test rows, computed where the data lives. Microsoft.ML's
/// <c>PermutationFeatureImportance</c> needs an ML.NET model and every row's dense features in one <c>IDataView</c>, which
/// a cohort of packed genotypes spread over nodes cannot be gathered into; instead one scatter of
/// <see cref="ContributionsOperation"/> returns each test row's margin split by feature group (a genotype region, or
/// one covariate, PC or table column), and the coordinator permutes a group's contributions across the test rows. As
/// a margin is the sum of its groups' contributions, that is exactly the margin the model gives with the group's
/// features permuted together across rows. The drop in R² (linear) or ROC AUC (logistic), from
/// <see cref="ModelEvaluation"/>, is averaged over <see cref="Permutations"/> seeded permutations.
/// </summary>
internal static class PermutationImportance
{
    public const int Permutations = 5;

    private const string Piece = "importance";

    /// <returns>One entry per group, in feature order; empty without test rows.</returns>
    public static async Task<IReadOnlyList<FeatureImportance>> RunAsync(TrainingJob job, double[] theta)
    {
        TrainingData data = job.Data;
        var (names, kinds, groupOf) = Groups(data);
        int groups = names.Count, p = job.Parameters;
        job.Store.Write<double>(Piece, [.. theta, .. groupOf.Select(g => (double)g)]);
        TrainingPartial[] partials = await job.Scatter(ContributionsOperation.OperationName, s => job.Step(Piece, $"{Piece}-s{s}")).ConfigureAwait(false);
        job.Store.Remove(Piece);
        int testRows = partials.Sum(x => x.TrainRows);
        if (testRows == 0 || groups == 0)
        {
            job.ReadPieces(s => $"{Piece}-s{s}", (_, _) => { });
            return [];
        }
        var contributions = new double[testRows * groups];
        int at = 0;
        job.ReadPieces(s => $"{Piece}-s{s}", (_, piece) =>
        {
            piece.CopyTo(contributions, at);
            at += piece.Length;
        });
        // Test rows in shard order are the test rows in row order.
        double[] targets = [.. Enumerable.Range(0, data.Targets.Count).Where(r => data.IsTest[r]).Select(r => data.Targets[r])];
        var margins = new double[testRows];
        for (int r = 0; r < testRows; r++)
        {
            margins[r] = theta[p];
            for (int g = 0; g < groups; g++)
            {
                margins[r] += contributions[r * groups + g];
            }
        }
        double baseline = Metric(job.Settings.Model, targets, margins);
        var result = new List<FeatureImportance>(groups);
        var permuted = new double[testRows];
        for (int g = 0; g < groups; g++)
        {
            var drops = new double[Permutations];
            for (int k = 0; k < Permutations; k++)
            {
                int[] order = [.. Enumerable.Range(0, testRows)];
                new Random(unchecked((int)job.Settings.Seed * 31 + k)).Shuffle(order);
                for (int r = 0; r < testRows; r++)
                {
                    permuted[r] = margins[r] - contributions[r * groups + g] + contributions[order[r] * groups + g];
                }
                drops[k] = baseline - Metric(job.Settings.Model, targets, permuted);
            }
            MeanSd drop = MeanSd.Of(drops);
            result.Add(new FeatureImportance(names[g], kinds[g], groupOf.Count(x => x == g), job.Settings.Model == TrainingModel.Linear ? "r2" : "auc", baseline, drop.Mean, drop.Sd));
        }
        return result;
    }

    private static double Metric(TrainingModel model, double[] targets, double[] margins)
    {
        TrainingMetrics m = ModelEvaluation.Evaluate(model, targets, margins, _ => true, null)!;
        return (model == TrainingModel.Linear ? m.R2 : m.Auc) ?? double.NaN;
    }

    /// <summary>Feature groups: one per dataset region holding selected variants, then one per extra feature.</summary>
    private static (List<string> Names, List<string> Kinds, int[] GroupOf) Groups(TrainingData data)
    {
        var names = new List<string>();
        var kinds = new List<string>();
        var groupOf = new int[data.Parameters];
        var regionGroup = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < data.Variants.Count; j++)
        {
            string region = data.VariantRegions[j];
            if (!regionGroup.TryGetValue(region, out int g))
            {
                g = regionGroup[region] = names.Count;
                names.Add(region);
                kinds.Add("region");
            }
            groupOf[j] = g;
        }
        for (int c = 0; c < data.ExtraNames.Count; c++)
        {
            groupOf[data.Variants.Count + c] = names.Count;
            names.Add(data.ExtraNames[c]);
            kinds.Add(data.ExtraKind(c));
        }
        return (names, kinds, groupOf);
    }
}

/// <summary>
/// One feature group's permutation importance: the metric on the unpermuted test rows and its mean and sd drop when
/// the group's features are permuted across them.
/// </summary>
/// <param name="Kind">region (genotypes), covariate, pc or feature (a --features table column).</param>
public sealed record FeatureImportance(string Name, string Kind, int Features, string Metric, double Baseline, double ImportanceMean, double ImportanceSd);
