using System.Text.Json.Serialization;

namespace GenoFlow.Analysis.Training;

/// <summary>How a penalty is cross-validated.</summary>
public enum CvMethod
{
    /// <summary>K folds of samples (<see cref="CrossValidationFolds"/>), each fitted without its rows and scored on them.</summary>
    [JsonStringEnumMemberName("kfold")]
    KFold,

    /// <summary>Generalised cross-validation from the exact Gram sums (<see cref="GeneralisedCrossValidation"/>): no folds, no extra pass.</summary>
    Gcv,

    /// <summary>Exact leave-one-out of exact ridge (<see cref="LeaveOneOut"/>), as scikit-learn's RidgeCV: one extra pass, no folds.</summary>
    Loo,
}
