namespace GenoFlow.Analysis.Training;

/// <summary>
/// The area under the ROC curve in double precision, as the Mann–Whitney statistic with tied margins sharing their
/// mean rank (scikit-learn's <c>roc_auc_score</c>). Cross-validation ranks penalties by it; the reported metrics come
/// from ML.NET's evaluator (<see cref="ModelEvaluation"/>), which works in single precision.
/// </summary>
internal static class RocAuc
{
    /// <returns>NaN when the included rows hold a single class.</returns>
    public static double Of(IReadOnlyList<double> targets, IReadOnlyList<double> margins, Func<int, bool> include)
    {
        int[] rows = [.. Enumerable.Range(0, targets.Count).Where(include).OrderBy(r => margins[r])];
        double positives = rows.Count(r => targets[r] == 1), negatives = rows.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }
        double rankSum = 0;
        for (int start = 0; start < rows.Length;)
        {
            int end = start;
            while (end + 1 < rows.Length && margins[rows[end + 1]] == margins[rows[start]])
            {
                end++;
            }
            double meanRank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++)
            {
                rankSum += targets[rows[i]] == 1 ? meanRank : 0;
            }
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }
}
