using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The starting θ of an averaging fit taken from an earlier model (e.g. the previous release's): each feature's
/// standardised weight found by name (a variant by chrom:pos:ref:alt, a covariate, PC or table column by its name), 0 for
/// a feature the earlier model lacks, and its intercept. After a release adds samples the optimum moves little, so the
/// fit needs fewer rounds to the same optimum (the penalised objective is convex: the start does not change it).
/// </summary>
public static class TrainingWarmStart
{
    public static double[] Theta(ModelFile previous, TrainingData data, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        if (previous.Model != settings.Model || previous.Target != data.Target)
        {
            throw new StageParameterException("warm-start", $"the earlier model is {previous.Model.ToString().ToLowerInvariant()} of '{previous.Target}'; this one is {settings.Model.ToString().ToLowerInvariant()} of '{data.Target}'");
        }
        if (settings.Aggregate == Aggregation.Exact)
        {
            throw new StageParameterException("warm-start", "exact ridge solves in one step; a warm start applies to aggregate average");
        }
        var theta = new double[data.Parameters + 1];
        var variants = previous.Variants.GroupBy(v => v.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Weight, StringComparer.Ordinal);
        for (int j = 0; j < data.Variants.Count; j++)
        {
            theta[j] = variants.GetValueOrDefault(TrainingOutput.VariantKey(data.Variants[j]));
        }
        var extras = previous.Covariates.Concat(previous.Pcs).Concat(previous.Features ?? [])
            .GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Weight, StringComparer.Ordinal);
        for (int c = 0; c < data.ExtraNames.Count; c++)
        {
            theta[data.Variants.Count + c] = extras.GetValueOrDefault(data.ExtraNames[c]);
        }
        theta[^1] = previous.Intercept;
        return theta;
    }
}
