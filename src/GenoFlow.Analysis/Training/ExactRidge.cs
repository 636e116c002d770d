using MathNet.Numerics.LinearAlgebra;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The exact aggregation of <see cref="Trainer"/> (linear, L2): one scatter of <see cref="GramOperation"/>, X̃ᵀX̃ and
/// X̃ᵀy summed in shard order, ridge solved by Cholesky; cross-validation picks l2 from per-fold Gram sums.
/// </summary>
internal static class ExactRidge
{
    public static async Task<TrainingResult> RunAsync(TrainingJob job)
    {
        int w = job.Parameters + 1;
        await job.Scatter(GramOperation.OperationName, s => job.Step("", $"gram-s{s}")).ConfigureAwait(false);
        int folds = job.Settings.CrossValidate ? job.Folds : 0;
        var total = new double[w * w + w + 1];
        double[][] perFold = [.. Enumerable.Range(0, folds).Select(_ => new double[w * w + w + 1])];
        job.ReadPieces(s => $"gram-s{s}", (s, piece) =>
        {
            Add(total, piece, 1);
            if (folds > 0)
            {
                Add(perFold[s % folds], piece, 1);
            }
        });
        CrossValidation? cv = folds > 0 ? CrossValidate(total, perFold, w) : null;
        double l2 = cv?.Chosen ?? job.Settings.L2 ?? 0;
        double[] solution = Solve(total, w, l2);
        return await job.Finish(solution, 0, l2, rounds: 0, converged: true, step: 0, [], cv).ConfigureAwait(false);
    }

    /// <summary>
    /// K-fold cross-validation from the Gram sums: fold f's model solves the total minus fold f's sums and is scored on
    /// fold f's rows from its own sums, so no grid point costs a pass over the data.
    /// </summary>
    private static CrossValidation CrossValidate(double[] total, double[][] perFold, int w)
    {
        int folds = perFold.Length;
        var loss = new double[TrainingSettings.L2Grid.Count];
        for (int g = 0; g < loss.Length; g++)
        {
            double sum = 0, rows = 0;
            for (int f = 0; f < folds; f++)
            {
                double[] train = [.. total];
                Add(train, perFold[f], -1);
                double[] theta = Solve(train, w, TrainingSettings.L2Grid[g]);
                double[] fold = perFold[f];
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
            loss[g] = sum / rows;
        }
        return new CrossValidation(folds, TrainingSettings.L2Grid, loss, TrainingSettings.L2Grid[Array.IndexOf(loss, loss.Min())]);
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
