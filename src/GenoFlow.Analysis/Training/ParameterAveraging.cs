namespace GenoFlow.Analysis.Training;

/// <summary>
/// The averaging aggregation of <see cref="Trainer"/>: rounds of <see cref="LocalFitOperation"/> whose local θ are
/// averaged by train-row count, then a preconditioned step (L2) or the L1 proximal map, with FISTA momentum and
/// adaptive restart. Cross-validation refits every fold along the l2 grid (largest penalty first, warm-started).
/// </summary>
internal static class ParameterAveraging
{
    private const double StepSafety = 1.1;

    /// <summary>Cross-validation fits only rank penalties: they stop at this tolerance (or the setting, if looser) and round limit.</summary>
    private const double CrossValidationTolerance = 1e-4;

    private const int CrossValidationRounds = 200;

    public static async Task<TrainingResult> RunAsync(TrainingJob job, IProgress<double>? progress)
    {
        CurvatureSpectrum curvature = await CurvatureLanczos.RunAsync(job).ConfigureAwait(false);
        double[] initial = job.InitialTheta();
        CrossValidation? cv = job.Settings.CrossValidate ? await CrossValidate(job, curvature, initial, progress).ConfigureAwait(false) : null;
        double l1 = job.Settings.L1 ?? 0, l2 = cv?.Chosen ?? job.Settings.L2 ?? 0;
        var (solution, rounds, converged, history) = await Fit(job, "fit", _ => true, l1, l2, curvature, initial, record: true, job.Settings.Tolerance, job.Settings.Rounds).ConfigureAwait(false);
        return await job.Finish(solution, l1, l2, rounds, converged, StepSize(job, curvature, l2), history, cv).ConfigureAwait(false);
    }

    /// <summary>
    /// K-fold cross-validation over shards (shard s in fold s mod K): each fold fits the l2 grid from the largest
    /// penalty down, warm-started, on the other folds' shards and scores its own shards' training rows.
    /// </summary>
    private static async Task<CrossValidation> CrossValidate(TrainingJob job, CurvatureSpectrum curvature, double[] initial, IProgress<double>? progress)
    {
        int folds = job.Folds;
        IReadOnlyList<double> grid = TrainingSettings.L2Grid;
        var loss = new double[grid.Count];
        double rows = 0;
        for (int f = 0; f < folds; f++)
        {
            double[] theta = initial;
            for (int g = grid.Count - 1; g >= 0; g--)
            {
                string tag = $"cv{f}-{g}";
                (theta, _, _, _) = await Fit(job, tag, s => s % folds != f, 0, grid[g], curvature, theta, record: false,
                    Math.Max(job.Settings.Tolerance, CrossValidationTolerance), Math.Min(job.Settings.Rounds, CrossValidationRounds)).ConfigureAwait(false);
                job.Store.Write<double>($"{tag}-final", theta);
                TrainingPartial[] validation = await job.Scatter(LocalFitOperation.OperationName, s => job.Step($"{tag}-final", "", fit: false)).ConfigureAwait(false);
                job.Store.Remove($"{tag}-final");
                for (int s = f; s < job.ShardCount; s += folds)
                {
                    loss[g] += validation[s].Loss;
                }
            }
            for (int s = f; s < job.ShardCount; s += folds)
            {
                rows += job.TrainRows[s];
            }
            progress?.Report(0.05 + 0.6 * (f + 1) / folds);
        }
        for (int g = 0; g < loss.Length; g++)
        {
            loss[g] /= rows;
        }
        return new CrossValidation(folds, grid, loss, grid[Array.IndexOf(loss, loss.Min())]);
    }

    private static double CurvatureScale(TrainingJob job) => job.Settings.Model == TrainingModel.Linear ? 1 : 0.25;

    private static double StepSize(TrainingJob job, CurvatureSpectrum curvature, double l2) => 1 / (StepSafety * curvature.Largest * CurvatureScale(job) + l2);

    /// <summary>The averaging rounds (FISTA with adaptive restart) on the shards where <paramref name="fits"/> holds.</summary>
    private static async Task<(double[] Theta, int Rounds, bool Converged, List<RoundRecord> History)> Fit(TrainingJob job, string tag, Func<int, bool> fits, double l1, double l2,
        CurvatureSpectrum curvature, double[] start, bool record, double tolerance, int roundLimit)
    {
        double step = StepSize(job, curvature, l2);
        double[] x = [.. start];
        double[] y = [.. start];
        double t = 1;
        var history = new List<RoundRecord>();
        for (int round = 1; round <= roundLimit; round++)
        {
            string parameters = $"{tag}-r{round}";
            job.Store.Write<double>(parameters, y);
            TrainingPartial[] partials = await job.Scatter(LocalFitOperation.OperationName, s => job.Step(parameters, $"{parameters}-s{s}", record ? $"{parameters}-m{s}" : "",
                fits(s), job.Settings.LocalEpochs, step, l1, l2)).ConfigureAwait(false);
            job.Store.Remove(parameters);
            var average = new double[job.Parameters + 1];
            double weight = 0;
            job.ReadPieces(s => $"{parameters}-s{s}", (s, local) =>
            {
                double n = partials[s].TrainRows;
                weight += n;
                for (int j = 0; j <= job.Parameters; j++)
                {
                    average[j] += n * local[j];
                }
            });
            for (int j = 0; j <= job.Parameters; j++)
            {
                average[j] /= weight;
            }
            if (l1 == 0)
            {
                // The averaged local step is a pseudo-gradient (y − average)/η (with one epoch, the exact gradient); the
                // coordinator steps along it preconditioned.
                var pseudoGradient = new double[job.Parameters + 1];
                for (int j = 0; j <= job.Parameters; j++)
                {
                    pseudoGradient[j] = (y[j] - average[j]) / step;
                }
                double[] move = curvature.Precondition(pseudoGradient, CurvatureScale(job), l2);
                for (int j = 0; j <= job.Parameters; j++)
                {
                    average[j] = y[j] - move[j];
                }
            }
            else
            {
                for (int j = 0; j < job.Parameters; j++)
                {
                    average[j] = Losses.SoftThreshold(average[j], step * l1);
                }
            }
            if (record)
            {
                double loss = partials.Where((_, s) => fits(s)).Sum(p => p.Loss) / weight;
                history.Add(job.Record(round, loss + job.Penalty(y, l1, l2), job.Margins(s => $"{parameters}-m{s}")));
            }
            double change = 0, size = 0, restart = 0;
            for (int j = 0; j <= job.Parameters; j++)
            {
                change += (average[j] - x[j]) * (average[j] - x[j]);
                size += average[j] * average[j];
                restart += (y[j] - average[j]) * (average[j] - x[j]);
            }
            double next = restart > 0 ? 1 : (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
            double momentum = restart > 0 ? 0 : (t - 1) / next;
            for (int j = 0; j <= job.Parameters; j++)
            {
                y[j] = average[j] + momentum * (average[j] - x[j]);
            }
            x = average;
            t = next;
            if (Math.Sqrt(change) <= tolerance * Math.Sqrt(size))
            {
                return (x, round, true, history);
            }
        }
        return (x, roundLimit, false, history);
    }
}
