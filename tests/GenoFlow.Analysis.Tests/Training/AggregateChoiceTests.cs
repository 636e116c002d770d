using GenoFlow.Analysis.Training;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>
/// The rule of <c>--aggregate auto</c>: exact ridge when it applies (linear, no l1, at most 4,096 features, none of
/// averaging's own options), parameter averaging otherwise; an explicit choice is kept. The rule itself, without a fit:
/// the feature limit has no smaller override, and a 4,097-feature cohort would be a heavy test.
/// </summary>
public sealed class AggregateChoiceTests
{
    private static AggregateChoice Choose(TrainingSettings settings, int parameters = 802, bool warmStarts = false) =>
        AggregateChoice.Of(settings with { Aggregate = Aggregation.Auto }, parameters, warmStarts);

    [Fact]
    public void Auto_takes_exact_for_a_linear_model_with_an_l2_penalty_only_within_the_feature_limit()
    {
        AggregateChoice crossValidated = Choose(new TrainingSettings(TrainingModel.Linear));
        Assert.Equal(Aggregation.Exact, crossValidated.Aggregation);
        Assert.Equal("auto: a linear model with an L2 penalty only and 802 features (exact's limit 4,096)", crossValidated.Reason);
        Assert.Equal(Aggregation.Exact, Choose(TrainingSettings.Of(TrainingModel.Linear, Aggregation.Auto, null, 0.3), TrainingSettings.ExactMaxParameters).Aggregation);
        // --l2 alone leaves l1 at 0, which is not an l1 penalty.
        Assert.Equal(Aggregation.Exact, Choose(TrainingSettings.Of(TrainingModel.Linear, Aggregation.Auto, 0, 0.3)).Aggregation);
    }

    [Theory]
    [InlineData("logistic", "auto: exact ridge cannot take a logistic model")]
    [InlineData("l1", "auto: exact ridge cannot take an l1 penalty")]
    [InlineData("features", "auto: exact ridge cannot take 4,097 features, above exact's limit of 4,096")]
    [InlineData("select-top", "auto: exact ridge cannot take select-top screening")]
    [InlineData("search-both", "auto: exact ridge cannot take the l1 search (search both)")]
    [InlineData("warm-start", "auto: exact ridge cannot take a warm start")]
    public void Auto_takes_average_where_exact_ridge_does_not_apply(string why, string reason)
    {
        TrainingSettings linear = new(TrainingModel.Linear);
        AggregateChoice choice = why switch
        {
            "logistic" => Choose(new TrainingSettings(TrainingModel.Logistic)),
            "l1" => Choose(TrainingSettings.Of(TrainingModel.Linear, Aggregation.Auto, 0.01, null)),
            "features" => Choose(linear, TrainingSettings.ExactMaxParameters + 1),
            "select-top" => Choose(linear with { SelectTop = 20 }),
            "search-both" => Choose(linear with { SearchL1 = true }),
            _ => Choose(linear, warmStarts: true),
        };
        Assert.Equal(Aggregation.Average, choice.Aggregation);
        Assert.Equal(reason, choice.Reason);
        // Whatever auto decides, the settings it leaves are valid.
        (linear with { Aggregate = choice.Aggregation }).Validate();
    }

    [Fact]
    public void An_explicit_aggregation_is_kept_and_auto_is_the_options_default()
    {
        Assert.Equal(new AggregateChoice(Aggregation.Average, "as asked"), AggregateChoice.Of(new TrainingSettings(TrainingModel.Linear, Aggregation.Average), 10, false));
        Assert.Equal(Aggregation.Exact, AggregateChoice.Of(new TrainingSettings(TrainingModel.Linear, Aggregation.Exact), 10, true).Aggregation);
        Assert.Equal(Aggregation.Auto, TrainingSettings.AggregationNamed(null));
        Assert.Equal(Aggregation.Auto, TrainingSettings.AggregationNamed("auto"));
        Assert.Equal(Aggregation.Average, TrainingSettings.AggregationNamed("average"));
        // The default cross-validation follows the aggregation auto chose: gcv for exact ridge, folds for averaging.
        TrainingSettings auto = new(TrainingModel.Linear, Aggregation.Auto);
        Assert.Equal(CvMethod.Gcv, (auto with { Aggregate = Choose(auto).Aggregation }).ResolvedCv);
        Assert.Equal(CvMethod.KFold, (auto with { Aggregate = Choose(auto, warmStarts: true).Aggregation }).ResolvedCv);
    }
}
