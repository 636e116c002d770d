namespace GenoFlow.Analysis.Training;

/// <summary>
/// The averaging aggregation of <see cref="Trainer"/>: rounds of <see cref="LocalFitOperation"/> whose local θ are
/// averaged by train-row count, then a preconditioned step (L2) or the L1 proximal map, with FISTA momentum and
/// adaptive restart. Cross-validation refits every fold along the l2 search (<see cref="PenaltySearch"/>, warm-started).
/// </summary>
internal static class ParameterAveraging
{
    private const double StepSafety = 1.1;

    /// <summary>Cross-validation fits only rank penalties: they stop at this tolerance (or the setting, if looser) and round limit.</summary>
    private const double CrossValidationTolerance = 1e-4;

    private const int CrossValidationRounds = 200;

    public static async Task<TrainingResult> RunAsync(TrainingJob job, IProgress<double>? progress)
    {
        CurvatureSpectrum curvature = await CurvatureLanczos.RunAsync(job, ShardFeatures.NoFold).ConfigureAwait(false);
        double[] initial = job.InitialTheta();
        CrossValidation? cv = job.Settings.CrossValidate ? await CrossValidate(job, initial, progress).ConfigureAwait(false) : null;
        double l1 = cv?.L1?.Chosen ?? job.Settings.L1 ?? 0, l2 = cv?.Chosen ?? job.Settings.L2 ?? 0;
        bool[]? keep = await job.Screen(ShardFeatures.NoFold).ConfigureAwait(false);
        var (solution, rounds, converged, history) = await Fit(job, "fit", ShardFeatures.NoFold, keep, l1, l2, curvature, initial, record: true, job.Settings.Tolerance,
            job.Settings.Rounds).ConfigureAwait(false);
        return await job.Finish(solution, l1, l2, rounds, converged, StepSize(job, curvature, l2), history, cv).ConfigureAwait(false);
    }

    /// <summary>
    /// K-fold cross-validation over the samples' folds (<see cref="TrainingData.Folds"/>): each fold's fits leave its
    /// rows out (every shard keeps fitting its other rows) with a step size and preconditioner from the curvature of the
    /// rows they fit, and score its rows. <see cref="PenaltySearch"/> picks l2; each fold's fit starts from its fit at
    /// the nearest l2 already evaluated (the previous one or the best so far). With <c>--search both</c> a second search
    /// picks l1 at that l2, from the largest l1 down, each fit warm-started from the previous one; l1 stays 0 unless a
    /// point beats the l2 search's best loss (a coordinate search: one grid per penalty, not their product).
    /// </summary>
    private static async Task<CrossValidation> CrossValidate(TrainingJob job, double[] initial, IProgress<double>? progress)
    {
        int folds = job.Folds;
        var curvatures = new CurvatureSpectrum[folds];
        var keep = new bool[]?[folds];
        for (int f = 0; f < folds; f++)
        {
            curvatures[f] = await CurvatureLanczos.RunAsync(job, f).ConfigureAwait(false);
            // --select-top screens on the fold's own fitted rows: its validation rows never choose its variants.
            keep[f] = await job.Screen(f).ConfigureAwait(false);
        }
        double[] penaltyScale = PenaltyScale(job.Data);
        double[][] last = [.. Enumerable.Range(0, folds).Select(_ => initial)];
        double[][] best = last;
        double lastL2 = double.PositiveInfinity, bestL2 = double.PositiveInfinity, bestLoss = double.PositiveInfinity;
        int evaluations = 0, total = TrainingSettings.L2Grid.Count + PenaltySearch.RefinementSteps
            + (job.Settings.SearchL1 ? TrainingSettings.L1Grid.Count + PenaltySearch.RefinementSteps : 0);
        async Task<double> ValidationLoss(double l1, double l2)
        {
            double[][] starts = Math.Abs(Math.Log(l2 / lastL2)) <= Math.Abs(Math.Log(l2 / bestL2)) ? last : best;
            var thetas = new double[folds][];
            double loss = 0;
            for (int f = 0; f < folds; f++)
            {
                string tag = $"cv{evaluations}-f{f}";
                (thetas[f], _, _, _) = await Fit(job, tag, f, keep[f], l1 * penaltyScale[f], l2 * penaltyScale[f], curvatures[f], starts[f], record: false,
                    Math.Max(job.Settings.Tolerance, CrossValidationTolerance), Math.Min(job.Settings.Rounds, CrossValidationRounds)).ConfigureAwait(false);
                job.Store.Write<double>($"{tag}-final", thetas[f]);
                bool auc = job.Settings.Score == CvScore.Auc;
                TrainingPartial[] validation = await job.Scatter(LocalFitOperation.OperationName, s => job.Step($"{tag}-final", "", auc ? $"{tag}-m{s}" : "", holdOut: f)).ConfigureAwait(false);
                job.Store.Remove($"{tag}-final");
                int fold = f;
                loss += auc ? (1 - RocAuc.Of(job.Data.Targets, job.Margins(s => $"{tag}-m{s}"), r => job.Data.Folds[r] == fold)) / folds
                    : validation.Sum(p => p.ValidationLoss) / job.Data.TrainRows;
            }
            (last, lastL2) = (thetas, l2);
            if (loss < bestLoss)
            {
                (best, bestL2, bestLoss) = (thetas, l2, loss);
            }
            progress?.Report(0.05 + 0.6 * ++evaluations / total);
            return loss;
        }
        var (gridLoss, refinement, chosen) = await PenaltySearch.RunAsync(l2 => ValidationLoss(0, l2)).ConfigureAwait(false);
        L1Search? l1Search = null;
        if (job.Settings.SearchL1)
        {
            double withoutL1 = bestLoss;
            var (l1Loss, l1Refinement, chosenL1) = await PenaltySearch.RunAsync(TrainingSettings.L1Grid, l1 => ValidationLoss(l1, chosen)).ConfigureAwait(false);
            // `best` holds the folds' fits at the lowest loss of either search, which is at chosenL1 only when it did better.
            bool better = bestLoss < withoutL1;
            l1Search = new L1Search(TrainingSettings.L1Grid, l1Loss, [.. l1Refinement.Select(r => new L1Score(r.Penalty, r.Loss))], withoutL1, better ? chosenL1 : 0);
        }
        return CrossValidation.Of(folds, gridLoss, refinement, chosen, await job.FoldMetrics(best).ConfigureAwait(false)) with { L1 = l1Search, Score = job.Settings.Score };
    }

    /// <summary>
    /// Per fold, n / n_f (n the training rows, n_f those the fold fits): a grid point's penalty is applied to fold f as
    /// l·n/n_f, so every fold and the final refit carry the same penalty summed over rows (n·l, scikit-learn's alpha,
    /// which a Gaussian or Laplace prior on the weights fixes whatever the row count). Without it a fold, fitting
    /// (K−1)/K of the rows, chose a per-row penalty K/(K−1) times the one that suits all of them (l2 0.94 where
    /// RidgeCV's leave-one-out chose 0.75, test R² 0.012 lower, on a structured test cohort).
    /// </summary>
    internal static double[] PenaltyScale(TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int folds = data.Folds.Where(f => f >= 0).DefaultIfEmpty(-1).Max() + 1;
        return [.. Enumerable.Range(0, folds).Select(f => (double)data.TrainRows / (data.TrainRows - data.Folds.Count(x => x == f)))];
    }

    private static double CurvatureScale(TrainingJob job) => job.Settings.Model == TrainingModel.Linear ? 1 : 0.25;

    private static double StepSize(TrainingJob job, CurvatureSpectrum curvature, double l2) => 1 / (StepSafety * curvature.Largest * CurvatureScale(job) + l2);

    /// <summary>
    /// The averaging rounds (FISTA with adaptive restart) on the train rows outside fold <paramref name="holdOut"/>,
    /// over the features <paramref name="keep"/> allows (all when null; the others stay 0, a projected step, taken
    /// without the preconditioner, whose eigenvectors mix kept and dropped features). A non-finite θ (a step too long
    /// for the curvature) stops the run with an error rather than a broken model.
    /// </summary>
    private static async Task<(double[] Theta, int Rounds, bool Converged, List<RoundRecord> History)> Fit(TrainingJob job, string tag, int holdOut, bool[]? keep,
        double l1, double l2, CurvatureSpectrum curvature, double[] start, bool record, double tolerance, int roundLimit)
    {
        double step = StepSize(job, curvature, l2);
        double[] x = [.. start];
        Project(x, keep);
        double[] y = [.. x];
        double t = 1;
        var history = new List<RoundRecord>();
        for (int round = 1; round <= roundLimit; round++)
        {
            string parameters = $"{tag}-r{round}";
            job.Store.Write<double>(parameters, y);
            TrainingPartial[] partials = await job.Scatter(LocalFitOperation.OperationName, s => job.Step(parameters, $"{parameters}-s{s}", record ? $"{parameters}-m{s}" : "",
                holdOut, job.Settings.LocalEpochs, step, l1, l2)).ConfigureAwait(false);
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
            if (l1 == 0 && keep is null)
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
                Project(average, keep);
            }
            if (record)
            {
                double loss = partials.Sum(p => p.Loss) / weight;
                history.Add(job.Record(round, loss + job.Penalty(y, l1, l2), job.Margins(s => $"{parameters}-m{s}")));
            }
            double change = 0, size = 0, restart = 0;
            for (int j = 0; j <= job.Parameters; j++)
            {
                change += (average[j] - x[j]) * (average[j] - x[j]);
                size += average[j] * average[j];
                restart += (y[j] - average[j]) * (average[j] - x[j]);
            }
            if (!double.IsFinite(size))
            {
                throw new Stages.StageException($"training diverged at l2 = {l2}{(holdOut == ShardFeatures.NoFold ? "" : $" (cross-validation fold {holdOut})")} in round {round}: the parameters are no longer finite; give a larger --l2");
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

    private static void Project(double[] theta, bool[]? keep)
    {
        for (int j = 0; keep is not null && j < keep.Length; j++)
        {
            theta[j] = keep[j] ? theta[j] : 0;
        }
    }
}
