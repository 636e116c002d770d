namespace GenoFlow.Analysis.Training;

/// <summary>Per-row loss, its derivative in the margin, and the prediction, for each model.</summary>
internal static class Losses
{
    /// <summary>linear: ½(y − m)²; logistic: log(1 + e^m) − y·m (the log-loss of P(y = 1) = σ(m)).</summary>
    public static double Value(TrainingModel model, double y, double margin) => model switch
    {
        TrainingModel.Linear => 0.5 * (y - margin) * (y - margin),
        _ => (margin > 0 ? margin + Math.Log(1 + Math.Exp(-margin)) : Math.Log(1 + Math.Exp(margin))) - y * margin,
    };

    public static double Derivative(TrainingModel model, double y, double margin) => model switch
    {
        TrainingModel.Linear => margin - y,
        _ => Sigmoid(margin) - y,
    };

    public static double Prediction(TrainingModel model, double margin) => model == TrainingModel.Linear ? margin : Sigmoid(margin);

    public static double Sigmoid(double margin) => margin >= 0 ? 1 / (1 + Math.Exp(-margin)) : Math.Exp(margin) / (1 + Math.Exp(margin));

    public static double SoftThreshold(double value, double threshold) =>
        value > threshold ? value - threshold : value < -threshold ? value + threshold : 0;
}
