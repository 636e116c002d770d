using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// How a model is fitted. GenoFlow minimises (1/n) Σ loss_i + l1‖w‖₁ + (l2/2)‖w‖² over the n training rows (the
/// intercept is not penalised), with loss ½(y − m)² (linear) or the log-loss (logistic), on standardised features.
/// When both <see cref="L1"/> and <see cref="L2"/> are null, L2 is chosen by K-fold cross-validation over
/// <see cref="L2Grid"/>; when one is given the other is 0.
/// </summary>
/// <param name="Rounds">Round limit of the averaging fit.</param>
/// <param name="LocalEpochs">Local proximal-gradient epochs per shard and round.</param>
/// <param name="Tolerance">Stop when ‖θ_t − θ_(t−1)‖ ≤ tolerance · ‖θ_t‖.</param>
/// <param name="Folds">Cross-validation folds of the training samples (<see cref="CrossValidationFolds"/>).</param>
/// <param name="ClassWeight">Per-class loss weights of a logistic model (null: none).</param>
/// <param name="Cv">How the penalty is cross-validated: K folds of samples, or generalised cross-validation (exact ridge); null for <see cref="ResolvedCv"/>'s default.</param>
/// <param name="SearchL1">With cross-validation, also search l1 (at the chosen l2) instead of leaving it 0.</param>
/// <param name="Score">What k-fold cross-validation ranks penalties by: validation loss or (logistic) fold AUC.</param>
/// <param name="SelectTop">Fit only the K variants of strongest marginal association with the target on the rows
/// being fitted (screened again inside every cross-validation fold), or null for all.</param>
public sealed record TrainingSettings(
    TrainingModel Model,
    Aggregation Aggregate = Aggregation.Average,
    double? L1 = null,
    double? L2 = null,
    int Rounds = 1000,
    int LocalEpochs = 1,
    double Tolerance = 1e-6,
    ulong Seed = 1,
    int Folds = TrainingSettings.DefaultFolds,
    ClassWeight? ClassWeight = null,
    int? SelectTop = null,
    CvMethod? Cv = null,
    bool SearchL1 = false,
    CvScore Score = CvScore.Loss)
{
    public const int DefaultFolds = 5;

    /// <summary>
    /// Settings from optional values, with this record's defaults. With neither penalty given, l2 is left to
    /// cross-validation; with one given, the other is 0.
    /// </summary>
    public static TrainingSettings Of(TrainingModel model, Aggregation aggregate, double? l1, double? l2, int? rounds = null, int? localEpochs = null,
        double? tolerance = null, ulong? seed = null, int? folds = null, string? classWeight = null, int? selectTop = null, string? cv = null, string? search = null, string? cvScore = null)
    {
        var defaults = new TrainingSettings(model);
        return new TrainingSettings(model, aggregate, l1 ?? (l2 is null ? null : 0), l2 ?? (l1 is null ? null : 0), rounds ?? defaults.Rounds,
            localEpochs ?? defaults.LocalEpochs, tolerance ?? defaults.Tolerance, seed ?? defaults.Seed, folds ?? defaults.Folds, Training.ClassWeight.Parse(classWeight),
            selectTop, CvNamed(cv), search == "both", ScoreNamed(cvScore, model));
    }

    /// <summary>--aggregate: average or exact as named; auto (the default, <see cref="AggregateChoice"/>) otherwise.</summary>
    public static Aggregation AggregationNamed(string? name) => name switch
    {
        "average" => Aggregation.Average,
        "exact" => Aggregation.Exact,
        _ => Aggregation.Auto,
    };

    /// <summary>--cv: kfold, gcv or loo as named, or null for <see cref="ResolvedCv"/>'s default.</summary>
    public static CvMethod? CvNamed(string? name) => name switch
    {
        "gcv" => CvMethod.Gcv,
        "loo" => CvMethod.Loo,
        "kfold" => CvMethod.KFold,
        _ => null,
    };

    /// <summary>
    /// The cross-validation that runs: <see cref="Cv"/> as given, by default gcv for cross-validated exact ridge and
    /// kfold otherwise. Generalised cross-validation is leave-one-out with the leverages averaged, from the Gram sums
    /// alone: one eigendecomposition, no extra pass (exact leave-one-out, <see cref="CvMethod.Loo"/>, needs one). Over
    /// eight structured cohorts its test R² was as close to RidgeCV's as exact leave-one-out's and 5 folds' (README,
    /// Benchmarks).
    /// </summary>
    public CvMethod ResolvedCv => Cv ?? (Aggregate == Aggregation.Exact && CrossValidate ? CvMethod.Gcv : CvMethod.KFold);

    /// <summary>
    /// --cv-score: loss or auc as named; by default auc for a logistic model (scikit-learn's scoring='roc_auc' in
    /// LogisticRegressionCV; over eight structured cohorts neither score was consistently closer to its test AUC,
    /// README, Benchmarks), and loss for a linear one.
    /// </summary>
    public static CvScore ScoreNamed(string? name, TrainingModel model) => name switch
    {
        "auc" => CvScore.Auc,
        "loss" => CvScore.Loss,
        _ => model == TrainingModel.Logistic ? CvScore.Auc : CvScore.Loss,
    };

    public ClassWeight Weights => ClassWeight ?? Training.ClassWeight.None;

    /// <summary>Exact aggregation keeps (p + 1)² sums per shard; refused above this many features.</summary>
    public const int ExactMaxParameters = 4096;

    /// <summary>The cross-validation grid of l2: 10^-3 … 10^2 in half decades (refined by <see cref="PenaltySearch"/>).</summary>
    public static IReadOnlyList<double> L2Grid { get; } = [.. Enumerable.Range(0, 11).Select(i => Math.Pow(10, -3 + 0.5 * i))];

    /// <summary>The l1 grid of <c>--search both</c>: 10^-4 … 10^-0.5 in half decades (refined by <see cref="PenaltySearch"/>).</summary>
    public static IReadOnlyList<double> L1Grid { get; } = [.. Enumerable.Range(0, 8).Select(i => Math.Pow(10, -4 + 0.5 * i))];

    public bool CrossValidate => L1 is null && L2 is null;

    public void Validate()
    {
        if (L1 < 0 || L1 is double.NaN)
        {
            throw new StageParameterException("l1", "must be a non-negative number");
        }
        if (L2 < 0 || L2 is double.NaN)
        {
            throw new StageParameterException("l2", "must be a non-negative number");
        }
        if (Rounds < 1)
        {
            throw new StageParameterException("rounds", "must be at least 1");
        }
        if (LocalEpochs < 1)
        {
            throw new StageParameterException("local-epochs", "must be at least 1");
        }
        if (Folds < 2)
        {
            throw new StageParameterException("folds", "must be at least 2");
        }
        if (!(Tolerance > 0))
        {
            throw new StageParameterException("tolerance", "must be positive");
        }
        if (Model == TrainingModel.Linear && !Weights.IsNone)
        {
            throw new StageParameterException("class-weight", "weighs the classes of a logistic model; a linear model has none");
        }
        if (SelectTop < 1)
        {
            throw new StageParameterException("select-top", "must be at least 1");
        }
        if (SelectTop is not null && Aggregate == Aggregation.Exact)
        {
            throw new StageParameterException("select-top", "screens variants for the averaging fit; exact aggregation keeps every feature (use aggregate average)");
        }
        if ((Cv is CvMethod.Gcv or CvMethod.Loo) && (Aggregate == Aggregation.Average || !CrossValidate))
        {
            throw new StageParameterException("cv", $"{Cv.Value.ToString().ToLowerInvariant()} scores l2 from the exact Gram sums: it needs aggregate exact and neither l1 nor l2 given");
        }
        if (SearchL1 && (Aggregate == Aggregation.Exact || !CrossValidate || Cv is CvMethod.Gcv or CvMethod.Loo))
        {
            throw new StageParameterException("search", "both searches l1 and l2 by k-fold cross-validation of the averaging fit: it needs aggregate average, cv kfold and neither l1 nor l2 given");
        }
        if (Score == CvScore.Auc && Model != TrainingModel.Logistic)
        {
            throw new StageParameterException("cv-score", "auc ranks the penalties of a logistic model by their folds' ROC AUC; use loss for a linear model");
        }
        if (Aggregate == Aggregation.Exact && (Model != TrainingModel.Linear || L1 > 0))
        {
            throw new StageParameterException("aggregate", "exact solves the ridge normal equations: it needs a linear model and no l1 penalty");
        }
    }
}
