namespace GenoFlow.Analysis.Training;

/// <summary>What k-fold cross-validation minimises when it ranks penalties.</summary>
public enum CvScore
{
    /// <summary>The mean validation loss over the training rows (squared error, or the weighted log-loss).</summary>
    Loss,

    /// <summary>1 − the mean over folds of each fold's ROC AUC (logistic; scikit-learn's <c>scoring='roc_auc'</c>).</summary>
    Auc,
}
