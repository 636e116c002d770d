using System.Globalization;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The aggregation a fit runs with and why (printed, and recorded as <c>aggregate_reason</c> in model.json and
/// metrics.json). <see cref="Aggregation.Auto"/>, the default of <c>--aggregate</c> and of a pipeline train stage,
/// takes exact ridge whenever it applies: a linear model with no L1 penalty and at most
/// <see cref="TrainingSettings.ExactMaxParameters"/> features, and none of the options only averaging has (screening,
/// the l1 search, warm starts). Exact then reaches the centralised optimum in one pass instead of rounds, and
/// cross-validates from the Gram sums (generalised cross-validation) instead of refitting every fold at every penalty.
/// </summary>
public sealed record AggregateChoice(Aggregation Aggregation, string Reason)
{
    /// <param name="parameters">The model's feature count (variants, covariates, PCs, table columns).</param>
    /// <param name="warmStarts">A warm start was asked for (even if no earlier model exists yet, so that every run of a pipeline fits alike).</param>
    public static AggregateChoice Of(TrainingSettings settings, int parameters, bool warmStarts)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Aggregate != Aggregation.Auto)
        {
            return new AggregateChoice(settings.Aggregate, "as asked");
        }
        string? averageBecause = settings.Model != TrainingModel.Linear ? "a logistic model"
            : settings.L1 > 0 ? "an l1 penalty"
            : settings.SearchL1 ? "the l1 search (search both)"
            : settings.SelectTop is not null ? "select-top screening"
            : warmStarts ? "a warm start"
            : parameters > TrainingSettings.ExactMaxParameters
                ? string.Create(CultureInfo.InvariantCulture, $"{parameters:N0} features, above exact's limit of {TrainingSettings.ExactMaxParameters:N0}")
            : null;
        return averageBecause is null
            ? new AggregateChoice(Aggregation.Exact, string.Create(CultureInfo.InvariantCulture,
                $"auto: a linear model with an L2 penalty only and {parameters:N0} features (exact's limit {TrainingSettings.ExactMaxParameters:N0})"))
            : new AggregateChoice(Aggregation.Average, $"auto: exact ridge cannot take {averageBecause}");
    }
}
