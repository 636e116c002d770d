using MathNet.Numerics.LinearAlgebra;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The exact aggregation of <see cref="Trainer"/> (linear, L2): one scatter of <see cref="GramOperation"/>, X̃ᵀX̃ and
/// X̃ᵀy summed in shard order, ridge solved by Cholesky; cross-validation picks l2 from per-fold Gram sums,
/// by generalised cross-validation from the total, or by exact leave-one-out in one more pass.
/// </summary>
internal static class ExactRidge
{
    public static async Task<TrainingResult> RunAsync(TrainingJob job)
    {
        int w = job.Parameters + 1;
        int folds = job.Settings.CrossValidate && job.Settings.ResolvedCv == CvMethod.KFold ? job.Folds : 0;
        await job.Scatter(GramOperation.OperationName, s => job.Step("", $"gram-s{s}", folds: folds)).ConfigureAwait(false);
        var total = new double[w * w + w + 1];
        double[][] perFold = [.. Enumerable.Range(0, folds).Select(_ => new double[w * w + w + 1])];
        if (folds == 0)
        {
            job.ReadPieces(s => $"gram-s{s}", (_, piece) => Add(total, piece, 1));
        }
        for (int f = 0; f < folds; f++)
        {
            job.ReadPieces(s => $"gram-s{s}-f{f}", (_, piece) =>
            {
                Add(total, piece, 1);
                Add(perFold[f], piece, 1);
            });
        }
        CrossValidation? cv = folds > 0 ? await CrossValidate(job, total, perFold, w).ConfigureAwait(false)
            : !job.Settings.CrossValidate ? null
            : job.Settings.ResolvedCv == CvMethod.Loo ? await LeaveOneOutSearch(job, total, w).ConfigureAwait(false)
            : await Generalised(total, w).ConfigureAwait(false);
        double l2 = cv?.Chosen ?? job.Settings.L2 ?? 0;
        double[] solution = Solve(total, w, l2);
        return await job.Finish(solution, 0, l2, rounds: 0, converged: true, step: 0, [], cv).ConfigureAwait(false);
    }

    /// <summary>
    /// K-fold cross-validation from the Gram sums: fold f's model solves the total minus fold f's sums and is scored on
    /// fold f's rows from its own sums, so no point of the l2 search costs a pass over the data; the chosen l2's fold
    /// models are then scored row by row for the per-fold metrics.
    /// </summary>
    private static async Task<CrossValidation> CrossValidate(TrainingJob job, double[] total, double[][] perFold, int w)
    {
        int folds = perFold.Length;
        // The same penalty summed over rows (n·l2) for every fold as for the refit (ParameterAveraging.PenaltyScale).
        double n = total[w * w - 1];
        double[][] FoldModels(double l2) => [.. perFold.Select(fold =>
        {
            double[] train = [.. total];
            Add(train, fold, -1);
            return Solve(train, w, l2 * n / train[w * w - 1]);
        })];
        Task<double> ValidationLoss(double l2)
        {
            double[][] thetas = FoldModels(l2);
            double sum = 0, rows = 0;
            for (int f = 0; f < folds; f++)
            {
                double[] theta = thetas[f], fold = perFold[f];
                // Validation SSE = yᵀy − 2θᵀX̃ᵀy + θᵀX̃ᵀX̃θ over the fold's rows.
                double sse = fold[^1];
                for (int i = 0; i < w; i++)
                {
                    double row = 0;
                    for (int j = 0; j < w; j++)
                    {
                        row += fold[i * w + j] * theta[j];
                    }
                    sse += theta[i] * row - 2 * theta[i] * fold[w * w + i];
                }
                sum += sse / 2;
                rows += fold[w * w - 1];
            }
            return Task.FromResult(sum / rows);
        }
        var (gridLoss, refinement, chosen) = await PenaltySearch.RunAsync(ValidationLoss).ConfigureAwait(false);
        return CrossValidation.Of(folds, gridLoss, refinement, chosen, await job.FoldMetrics(FoldModels(chosen)).ConfigureAwait(false));
    }

    /// <summary>Generalised cross-validation: the l2 search scored by <see cref="GeneralisedCrossValidation"/>, without folds.</summary>
    private static async Task<CrossValidation> Generalised(double[] total, int w)
    {
        GeneralisedCrossValidation gcv = GeneralisedCrossValidation.FromGram(total, w);
        var (gridLoss, refinement, chosen) = await PenaltySearch.RunAsync(l2 => Task.FromResult(gcv.Score(l2)), PenaltySearch.CheapRefinementSteps).ConfigureAwait(false);
        return CrossValidation.Of(0, gridLoss, refinement, chosen, []) with { Method = CvMethod.Gcv };
    }

    /// <summary>
    /// Exact leave-one-out over <see cref="LeaveOneOut.Grid"/> in one scatter of <see cref="LeaveOneOutOperation"/>.
    /// Reported as the other searches are: the half-decade grid points' scores, then every finer point within one grid
    /// step of the best grid point as the refinement, and the lowest of those chosen.
    /// </summary>
    private static async Task<CrossValidation> LeaveOneOutSearch(TrainingJob job, double[] total, int w)
    {
        LeaveOneOut loo = LeaveOneOut.FromGram(total, w);
        IReadOnlyList<double> grid = LeaveOneOut.Grid;
        job.Store.Write<double>("loo-basis", loo.Basis(grid));
        await job.Scatter(LeaveOneOutOperation.OperationName, s => job.Step("loo-basis", $"loo-s{s}")).ConfigureAwait(false);
        job.Store.Remove("loo-basis");
        var squared = new double[grid.Count];
        job.ReadPieces(s => $"loo-s{s}", (_, piece) => Add(squared, piece, 1));
        double[] score = [.. squared.Select(loo.Score)];
        const int step = LeaveOneOut.PointsPerDecade / 2;
        double[] gridLoss = [.. Enumerable.Range(0, TrainingSettings.L2Grid.Count).Select(g => score[g * step])];
        int best = Array.IndexOf(gridLoss, gridLoss.Min()) * step;
        int[] bracket = [.. Enumerable.Range(Math.Max(0, best - step), Math.Min(grid.Count - 1, best + step) - Math.Max(0, best - step) + 1)];
        int chosen = bracket.MinBy(i => score[i]);
        PenaltyScore[] refinement = [.. bracket.Where(i => i % step != 0).Select(i => new PenaltyScore(grid[i], score[i]))];
        return CrossValidation.Of(0, gridLoss, refinement, grid[chosen], []) with { Method = CvMethod.Loo };
    }

    private static void Add(double[] into, double[] piece, double sign)
    {
        for (int i = 0; i < into.Length; i++)
        {
            into[i] += sign * piece[i];
        }
    }

    /// <summary>Solves (X̃ᵀX̃ + n·l2·D) θ = X̃ᵀy from summed Gram pieces (n is the intercept's diagonal entry).</summary>
    private static double[] Solve(double[] sums, int w, double l2)
    {
        Matrix<double> a = Matrix<double>.Build.Dense(w, w, sums[..(w * w)]);
        double n = a[w - 1, w - 1];
        for (int j = 0; j < w - 1; j++)
        {
            a[j, j] += n * l2;
        }
        Vector<double> b = Vector<double>.Build.Dense(sums[(w * w)..(w * w + w)]);
        try
        {
            return a.Cholesky().Solve(b).ToArray();
        }
        catch (ArgumentException e)
        {
            throw new StageException($"the ridge normal equations are singular at l2 = {l2} (more features than training samples, or a constant feature, without a penalty); give a positive l2", e);
        }
    }
}
