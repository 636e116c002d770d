namespace GenoFlow.Analysis.Training;

/// <summary>
/// Chooses a penalty (l2, or l1 at a chosen l2) by cross-validated loss: every point of a log-spaced grid from the
/// largest down (so averaging fits can start warm from the previous point), then golden-section steps on the log
/// penalty inside the bracket of grid points around the best one, so the choice is not limited to half decades.
/// </summary>
internal static class PenaltySearch
{
    /// <summary>Golden-section evaluations after the grid; four shrink the half-decade bracket to about a tenth of it.</summary>
    public const int RefinementSteps = 4;

    /// <summary>
    /// Golden-section evaluations when a point costs O(p) (generalised cross-validation after one eigendecomposition):
    /// sixteen shrink the bracket to 5e-4 of a decade, so the choice is the score's own minimum. K-fold exact ridge
    /// keeps <see cref="RefinementSteps"/>: each of its points is K Cholesky solves of the Gram matrix (with 16 steps,
    /// 27 points x 5 folds took 919 s for 2,002 features on a loaded 2-core machine).
    /// </summary>
    public const int CheapRefinementSteps = 16;

    private static readonly double InverseGolden = (Math.Sqrt(5) - 1) / 2;

    /// <summary>The l2 search over <see cref="TrainingSettings.L2Grid"/>.</summary>
    public static async Task<(double[] GridLoss, List<PenaltyScore> Refinement, double Chosen)> RunAsync(Func<double, Task<double>> validationLoss, int steps = RefinementSteps)
    {
        var (gridLoss, refinement, chosen) = await RunAsync(TrainingSettings.L2Grid, validationLoss, steps).ConfigureAwait(false);
        return (gridLoss, [.. refinement.Select(r => new PenaltyScore(r.Penalty, r.Loss))], chosen);
    }

    /// <param name="grid">Ascending, log-spaced penalties.</param>
    /// <param name="steps">Golden-section evaluations after the grid.</param>
    /// <param name="validationLoss">Mean validation loss over all folds at a penalty.</param>
    /// <returns>The grid's losses, the refinement points in evaluation order and the penalty of the lowest loss.</returns>
    public static async Task<(double[] GridLoss, List<(double Penalty, double Loss)> Refinement, double Chosen)> RunAsync(IReadOnlyList<double> grid,
        Func<double, Task<double>> validationLoss, int steps = RefinementSteps)
    {
        var loss = new double[grid.Count];
        for (int g = grid.Count - 1; g >= 0; g--)
        {
            loss[g] = await validationLoss(grid[g]).ConfigureAwait(false);
        }
        int best = Array.IndexOf(loss, loss.Min());
        double chosen = grid[best], chosenLoss = loss[best];
        double low = Math.Log10(grid[Math.Max(0, best - 1)]), high = Math.Log10(grid[Math.Min(grid.Count - 1, best + 1)]);
        var refinement = new List<(double Penalty, double Loss)>();
        double? left = null, right = null;
        double leftLoss = 0, rightLoss = 0;
        for (int step = 0; step < steps; step++)
        {
            double at;
            if (left is null)
            {
                at = high - InverseGolden * (high - low);
            }
            else if (right is null)
            {
                at = low + InverseGolden * (high - low);
            }
            else if (leftLoss <= rightLoss)
            {
                // The minimum lies in [low, right]: the left point becomes the right one.
                (high, right, rightLoss, left) = (right.Value, left, leftLoss, null);
                at = high - InverseGolden * (high - low);
            }
            else
            {
                (low, left, leftLoss, right) = (left.Value, right, rightLoss, null);
                at = low + InverseGolden * (high - low);
            }
            double penalty = Math.Pow(10, at);
            double value = await validationLoss(penalty).ConfigureAwait(false);
            refinement.Add((penalty, value));
            if (left is null)
            {
                (left, leftLoss) = (at, value);
            }
            else
            {
                (right, rightLoss) = (at, value);
            }
            if (value < chosenLoss)
            {
                (chosen, chosenLoss) = (penalty, value);
            }
        }
        return (loss, refinement, chosen);
    }
}

/// <summary>The mean cross-validated loss at one l2.</summary>
public sealed record PenaltyScore(double L2, double ValidationLoss);

/// <summary>The mean cross-validated loss at one l1 (at the chosen l2).</summary>
public sealed record L1Score(double L1, double ValidationLoss);
