namespace GenoFlow.Analysis.Training;

/// <summary>
/// Chooses l2 by cross-validated loss: every point of <see cref="TrainingSettings.L2Grid"/> from the largest down (so
/// averaging fits can start warm from the previous point), then golden-section steps on log l2 inside the bracket of
/// grid points around the best one, so the choice is not limited to half decades.
/// </summary>
internal static class PenaltySearch
{
    /// <summary>Golden-section evaluations after the grid; four shrink the half-decade bracket to about a tenth of it.</summary>
    public const int RefinementSteps = 4;

    private static readonly double InverseGolden = (Math.Sqrt(5) - 1) / 2;

    /// <param name="validationLoss">Mean validation loss over all folds at an l2.</param>
    /// <returns>The grid's losses, the refinement points in evaluation order and the l2 of the lowest loss.</returns>
    public static async Task<(double[] GridLoss, List<PenaltyScore> Refinement, double Chosen)> RunAsync(Func<double, Task<double>> validationLoss)
    {
        IReadOnlyList<double> grid = TrainingSettings.L2Grid;
        var loss = new double[grid.Count];
        for (int g = grid.Count - 1; g >= 0; g--)
        {
            loss[g] = await validationLoss(grid[g]).ConfigureAwait(false);
        }
        int best = Array.IndexOf(loss, loss.Min());
        double chosen = grid[best], chosenLoss = loss[best];
        double low = Math.Log10(grid[Math.Max(0, best - 1)]), high = Math.Log10(grid[Math.Min(grid.Count - 1, best + 1)]);
        var refinement = new List<PenaltyScore>();
        double? left = null, right = null;
        double leftLoss = 0, rightLoss = 0;
        for (int step = 0; step < RefinementSteps; step++)
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
            double l2 = Math.Pow(10, at);
            double value = await validationLoss(l2).ConfigureAwait(false);
            refinement.Add(new PenaltyScore(l2, value));
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
                (chosen, chosenLoss) = (l2, value);
            }
        }
        return (loss, refinement, chosen);
    }
}

/// <summary>The mean cross-validated loss at one l2.</summary>
public sealed record PenaltyScore(double L2, double ValidationLoss);
