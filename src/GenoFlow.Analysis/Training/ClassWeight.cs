using System.Globalization;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// How a logistic model weighs each class's rows in its loss, gradients and averaging: <c>none</c> (1 and 1),
/// <c>balanced</c> (n / (2·n_class) over the training rows, as scikit-learn's <c>class_weight='balanced'</c>), or a
/// fixed weight W1 of the cases (controls 1).
/// </summary>
public sealed record ClassWeight(bool Balanced, double Positive)
{
    public static ClassWeight None { get; } = new(false, 1);

    public static ClassWeight BalancedClasses { get; } = new(true, 1);

    /// <summary>Parses <c>balanced</c>, <c>none</c> or a positive number W1; errors name the option.</summary>
    public static ClassWeight Parse(string? text)
    {
        if (text is null or "none")
        {
            return None;
        }
        if (text == "balanced")
        {
            return BalancedClasses;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double w) && w > 0 && double.IsFinite(w))
        {
            return new ClassWeight(false, w);
        }
        throw new StageParameterException("class-weight", $"must be balanced, none or a positive weight of class 1; got '{text}'");
    }

    public bool IsNone => !Balanced && Positive == 1;

    /// <summary>The weights of class 0 and class 1 given the training rows' targets.</summary>
    public (double Negative, double Positive) Resolve(IEnumerable<double> trainTargets)
    {
        ArgumentNullException.ThrowIfNull(trainTargets);
        if (!Balanced)
        {
            return (1, Positive);
        }
        double n = 0, positives = 0;
        foreach (double y in trainTargets)
        {
            n++;
            positives += y == 1 ? 1 : 0;
        }
        return (n / (2 * (n - positives)), n / (2 * positives));
    }

    public override string ToString() => Balanced ? "balanced" : IsNone ? "none" : Positive.ToString("R", CultureInfo.InvariantCulture);
}
