using System.IO.Hashing;
using GenoFlow.Analysis.Execution;
using MathNet.Numerics.LinearAlgebra;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Trains a regularised linear or logistic model over the sample shards of a <see cref="TrainingData"/>; no node ever
/// holds the cohort, and the coordinator holds only parameter-sized vectors and per-row targets.
/// <para>
/// Standardisation: one scatter of <see cref="MomentsOperation"/> gives per-variant genotype counts and per-covariate
/// moments over the training rows; features are (x − mean)/sd (population sd), missing → 0.
/// </para>
/// <para>
/// average: rounds of <see cref="LocalFitOperation"/>. Every shard starts from the broadcast θ and takes E local
/// gradient epochs on its own rows; the coordinator averages the local θ weighted by shard train-row count, applies the
/// L1 proximal map (soft-thresholding) and Nesterov momentum with adaptive restart (FISTA; Beck &amp; Teboulle 2009,
/// O'Donoghue &amp; Candès 2015), and broadcasts the result. With E = 1 a round is exactly one proximal-gradient step on
/// the whole training set, so the averaged model converges to the centralised optimum. The step is 1/L with L from a
/// 12-step Lanczos estimate of the largest eigenvalue of X̃ᵀX̃/n (<see cref="CurvatureOperation"/>), times 1.1, ×¼ for
/// the log-loss, + l2. Stops when ‖θ_t − θ_(t−1)‖ ≤ tolerance·‖θ_t‖ or after the round limit.
/// </para>
/// <para>
/// exact (linear, L2): one scatter of <see cref="GramOperation"/>; the coordinator sums X̃ᵀX̃ and X̃ᵀy in shard order
/// and solves (X̃ᵀX̃ + n·l2·D) θ = X̃ᵀy by Cholesky (D = identity without the intercept): centralised ridge regression.
/// </para>
/// <para>
/// Parameter vectors travel as <see cref="ScratchStore"/> pieces named in each (small) operation input; every shard
/// writes its local θ as a piece; the coordinator reads them in shard order. Every reduction runs in shard order, so
/// the model is bit-identical on any number of nodes.
/// </para>
/// </summary>
public static class Trainer
{
    private const int LanczosSteps = 20;

    /// <summary>At most this many top eigenpairs are taken out by the preconditioner.</summary>
    private const int MaxDeflated = 8;

    /// <summary>A Ritz pair counts as converged when its residual ‖Hu − λu‖ is below this fraction of λ.</summary>
    private const double RitzTolerance = 0.01;

    private const double StepSafety = 1.1;
    private const string ScalingPiece = "scaling";

    /// <summary>Cross-validation fits only rank penalties: they stop at this tolerance (or the setting, if looser) and round limit.</summary>
    private const double CrossValidationTolerance = 1e-4;

    private const int CrossValidationRounds = 200;

    public static async Task<TrainingResult> RunAsync(IJobExecutor executor, TrainingData data, TrainingSettings settings, ScratchStore store,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        settings.Validate();
        if (settings.Aggregate == Aggregation.Exact && data.Parameters > TrainingSettings.ExactMaxParameters)
        {
            throw new StageParameterException("aggregate", $"exact sums (p + 1)² = {(data.Parameters + 1L) * (data.Parameters + 1):N0} numbers per shard and is limited to {TrainingSettings.ExactMaxParameters:N0} features; this model has {data.Parameters:N0} (use aggregate average, or fewer variants)");
        }
        if (settings.CrossValidate && data.Shards.ShardCount < 2)
        {
            throw new StageException($"cross-validation (no l1 or l2 given) makes folds of sample shards and needs at least 2; the {data.TrainRows + data.TestRows:N0} rows make {data.Shards.ShardCount} (give l2, or fewer rows-per-shard)");
        }
        var job = new Job(executor, data, settings, store, ct);
        await job.Standardise().ConfigureAwait(false);
        progress?.Report(0.05);
        TrainingResult result = settings.Aggregate == Aggregation.Exact
            ? await job.Exact().ConfigureAwait(false)
            : await job.Average(progress).ConfigureAwait(false);
        progress?.Report(1);
        return result;
    }

    private sealed class Job(IJobExecutor executor, TrainingData data, TrainingSettings settings, ScratchStore store, CancellationToken ct)
    {
        private readonly ShardSetRef _shards = ShardSetRef.Of(data.Shards);
        private readonly int _shardCount = data.Shards.ShardCount;
        private readonly int _p = data.Parameters;
        private int[] _trainRows = [];
        private double[] _mean = [];
        private double[] _inverseSd = [];

        private int Folds => Math.Min(settings.Folds, _shardCount);

        private TrainingStep Step(string parameters, string output, string margins = "", bool fit = true, int epochs = 0, double step = 0, double l1 = 0, double l2 = 0) =>
            new(store.Directory, ScalingPiece, settings.Model, parameters, output, margins, fit, epochs, step, l1, l2);

        private async Task<TrainingPartial[]> Scatter(string operation, Func<int, TrainingStep> step)
        {
            var partials = new TrainingPartial[_shardCount];
            await executor.RunAsync(new SampleShardJob(_shards, operation, _shardCount, s => step(s).Encode()),
                (s, bytes) => partials[s] = TrainingPartial.Decode(bytes.Span), null, ct).ConfigureAwait(false);
            return partials;
        }

        /// <summary>Reads and removes each shard's piece in shard order.</summary>
        private void ReadPieces(Func<int, string> name, Action<int, double[]> use)
        {
            for (int s = 0; s < _shardCount; s++)
            {
                string piece = name(s);
                if (store.Exists(piece))
                {
                    use(s, store.Read<double>(piece));
                    store.Remove(piece);
                }
            }
        }

        public async Task Standardise()
        {
            TrainingPartial[] partials = await Scatter(MomentsOperation.OperationName, s => Step("", $"moments-s{s}")).ConfigureAwait(false);
            _trainRows = [.. partials.Select(p => p.TrainRows)];
            int variants = data.Variants.Count;
            var moments = new double[4 * variants + 3 * data.ExtraNames.Count];
            ReadPieces(s => $"moments-s{s}", (_, piece) =>
            {
                for (int i = 0; i < moments.Length; i++)
                {
                    moments[i] += piece[i];
                }
            });
            _mean = new double[_p];
            _inverseSd = new double[_p];
            for (int j = 0; j < variants; j++)
            {
                // Codes 0b00, 0b10, 0b11 carry 2, 1, 0 ALT alleles; 0b01 is missing.
                double two = moments[4 * j], one = moments[4 * j + 2], zero = moments[4 * j + 3];
                double n = two + one + zero;
                double mean = n > 0 ? (2 * two + one) / n : 0;
                double variance = n > 0 ? (two * (2 - mean) * (2 - mean) + one * (1 - mean) * (1 - mean) + zero * mean * mean) / n : 0;
                _mean[j] = mean;
                _inverseSd[j] = variance > 1e-12 ? 1 / Math.Sqrt(variance) : 0;
            }
            for (int c = 0; c < data.ExtraNames.Count; c++)
            {
                int at = 4 * variants + 3 * c;
                double n = moments[at];
                double mean = n > 0 ? moments[at + 1] / n : 0;
                double variance = n > 0 ? Math.Max(0, moments[at + 2] / n - mean * mean) : 0;
                _mean[variants + c] = mean;
                _inverseSd[variants + c] = variance > 1e-12 * Math.Max(1, mean * mean) ? 1 / Math.Sqrt(variance) : 0;
            }
            store.Write<double>(ScalingPiece, [.. _mean, .. _inverseSd]);
        }

        private double[] InitialTheta()
        {
            var theta = new double[_p + 1];
            double sum = 0;
            int n = 0;
            for (int r = 0; r < data.Targets.Count; r++)
            {
                if (!data.IsTest[r])
                {
                    sum += data.Targets[r];
                    n++;
                }
            }
            double mean = sum / n;
            theta[_p] = settings.Model == TrainingModel.Linear ? mean : Math.Log(mean / (1 - mean));
            return theta;
        }

        // ---- exact ----

        public async Task<TrainingResult> Exact()
        {
            int w = _p + 1;
            await Scatter(GramOperation.OperationName, s => Step("", $"gram-s{s}")).ConfigureAwait(false);
            int folds = settings.CrossValidate ? Folds : 0;
            var total = new double[w * w + w + 1];
            double[][] perFold = [.. Enumerable.Range(0, folds).Select(_ => new double[w * w + w + 1])];
            ReadPieces(s => $"gram-s{s}", (s, piece) =>
            {
                Add(total, piece, 1);
                if (folds > 0)
                {
                    Add(perFold[s % folds], piece, 1);
                }
            });
            CrossValidation? cv = null;
            double l2 = settings.L2 ?? 0;
            if (folds > 0)
            {
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
                l2 = TrainingSettings.L2Grid[Array.IndexOf(loss, loss.Min())];
                cv = new CrossValidation(folds, TrainingSettings.L2Grid, loss, l2);
            }
            double[] solution = Solve(total, w, l2);
            return await Finish(solution, 0, l2, rounds: 0, converged: true, step: 0, [], cv).ConfigureAwait(false);
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

        // ---- average ----

        public async Task<TrainingResult> Average(IProgress<double>? progress)
        {
            CurvatureSpectrum curvature = await Spectrum().ConfigureAwait(false);
            double[] initial = InitialTheta();
            CrossValidation? cv = null;
            double l1 = settings.L1 ?? 0, l2 = settings.L2 ?? 0;
            if (settings.CrossValidate)
            {
                int folds = Folds;
                IReadOnlyList<double> grid = TrainingSettings.L2Grid;
                var loss = new double[grid.Count];
                double rows = 0;
                for (int f = 0; f < folds; f++)
                {
                    double[] theta = initial;
                    for (int g = grid.Count - 1; g >= 0; g--)
                    {
                        string tag = $"cv{f}-{g}";
                        (theta, _, _, _) = await Fit(tag, s => s % folds != f, 0, grid[g], curvature, theta, record: false,
                            Math.Max(settings.Tolerance, CrossValidationTolerance), Math.Min(settings.Rounds, CrossValidationRounds)).ConfigureAwait(false);
                        store.Write<double>($"{tag}-final", theta);
                        TrainingPartial[] validation = await Scatter(LocalFitOperation.OperationName, s => Step($"{tag}-final", "", fit: false)).ConfigureAwait(false);
                        store.Remove($"{tag}-final");
                        for (int s = f; s < _shardCount; s += folds)
                        {
                            loss[g] += validation[s].Loss;
                        }
                    }
                    for (int s = f; s < _shardCount; s += folds)
                    {
                        rows += _trainRows[s];
                    }
                    progress?.Report(0.05 + 0.6 * (f + 1) / folds);
                }
                for (int g = 0; g < loss.Length; g++)
                {
                    loss[g] /= rows;
                }
                l2 = grid[Array.IndexOf(loss, loss.Min())];
                cv = new CrossValidation(folds, grid, loss, l2);
            }
            var (solution, rounds, converged, history) = await Fit("fit", _ => true, l1, l2, curvature, initial, record: true, settings.Tolerance, settings.Rounds).ConfigureAwait(false);
            return await Finish(solution, l1, l2, rounds, converged, StepSize(curvature, l2), history, cv).ConfigureAwait(false);
        }

        private double CurvatureScale => settings.Model == TrainingModel.Linear ? 1 : 0.25;

        private double StepSize(CurvatureSpectrum curvature, double l2) => 1 / (StepSafety * curvature.Largest * CurvatureScale + l2);

        /// <summary>The averaging rounds (FISTA with adaptive restart) on the shards where <paramref name="fits"/> holds.</summary>
        private async Task<(double[] Theta, int Rounds, bool Converged, List<RoundRecord> History)> Fit(string tag, Func<int, bool> fits, double l1, double l2,
            CurvatureSpectrum curvature, double[] start, bool record, double tolerance, int roundLimit)
        {
            double step = StepSize(curvature, l2);
            double[] x = [.. start];
            double[] y = [.. start];
            double t = 1;
            var history = new List<RoundRecord>();
            for (int round = 1; round <= roundLimit; round++)
            {
                string parameters = $"{tag}-r{round}";
                store.Write<double>(parameters, y);
                TrainingPartial[] partials = await Scatter(LocalFitOperation.OperationName, s => Step(parameters, $"{parameters}-s{s}", record ? $"{parameters}-m{s}" : "",
                    fits(s), settings.LocalEpochs, step, l1, l2)).ConfigureAwait(false);
                store.Remove(parameters);
                var average = new double[_p + 1];
                double weight = 0;
                ReadPieces(s => $"{parameters}-s{s}", (s, local) =>
                {
                    double n = partials[s].TrainRows;
                    weight += n;
                    for (int j = 0; j <= _p; j++)
                    {
                        average[j] += n * local[j];
                    }
                });
                for (int j = 0; j <= _p; j++)
                {
                    average[j] /= weight;
                }
                if (l1 == 0)
                {
                    // The averaged local step is a pseudo-gradient (y − average)/η (with one epoch, the exact gradient); the
                    // coordinator steps along it preconditioned.
                    var pseudoGradient = new double[_p + 1];
                    for (int j = 0; j <= _p; j++)
                    {
                        pseudoGradient[j] = (y[j] - average[j]) / step;
                    }
                    double[] move = curvature.Precondition(pseudoGradient, CurvatureScale, l2);
                    for (int j = 0; j <= _p; j++)
                    {
                        average[j] = y[j] - move[j];
                    }
                }
                else
                {
                    for (int j = 0; j < _p; j++)
                    {
                        average[j] = Losses.SoftThreshold(average[j], step * l1);
                    }
                }
                if (record)
                {
                    double loss = partials.Where((_, s) => fits(s)).Sum(p => p.Loss) / weight;
                    history.Add(Record(round, loss + Penalty(y, l1, l2), Margins(s => $"{parameters}-m{s}")));
                }
                double change = 0, size = 0, restart = 0;
                for (int j = 0; j <= _p; j++)
                {
                    change += (average[j] - x[j]) * (average[j] - x[j]);
                    size += average[j] * average[j];
                    restart += (y[j] - average[j]) * (average[j] - x[j]);
                }
                double next = restart > 0 ? 1 : (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
                double momentum = restart > 0 ? 0 : (t - 1) / next;
                for (int j = 0; j <= _p; j++)
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

        private double Penalty(double[] theta, double l1, double l2)
        {
            double penalty = 0;
            for (int j = 0; j < _p; j++)
            {
                penalty += l1 * Math.Abs(theta[j]) + l2 / 2 * theta[j] * theta[j];
            }
            return penalty;
        }

        /// <summary>Every row's margin, from the shards' margin pieces (read and removed in shard order).</summary>
        private double[] Margins(Func<int, string> name)
        {
            var margins = new double[data.Targets.Count];
            ReadPieces(name, (s, piece) => piece.CopyTo(margins, data.Shards.Manifest.Shards[s].FirstRow));
            return margins;
        }

        private RoundRecord Record(int round, double objective, double[] margins) =>
            new(round, objective, TrainingMetrics.Of(settings.Model, data.Targets, margins, r => !data.IsTest[r])!,
                TrainingMetrics.Of(settings.Model, data.Targets, margins, r => data.IsTest[r]));

        /// <summary>
        /// Lanczos with full reorthogonalisation on X̃ᵀX̃/n over all training rows from a seeded start: the largest
        /// Ritz value, and the converged top Ritz pairs for the preconditioner.
        /// </summary>
        private async Task<CurvatureSpectrum> Spectrum()
        {
            int w = _p + 1;
            double n = _trainRows.Sum();
            var basis = new List<double[]>();
            var q = new double[w];
            for (int j = 0; j < w; j++)
            {
                q[j] = XxHash3.HashToUInt64(BitConverter.GetBytes(j), (long)settings.Seed) * (1.0 / ulong.MaxValue) - 0.5;
            }
            Scale(q, 1 / Norm(q));
            var alpha = new List<double>();
            double residual = 0;
            var beta = new List<double>();
            for (int k = 0; k < Math.Min(LanczosSteps, w); k++)
            {
                basis.Add(q);
                string piece = $"lanczos-{k}";
                store.Write<double>(piece, q);
                await Scatter(CurvatureOperation.OperationName, s => Step(piece, $"{piece}-s{s}")).ConfigureAwait(false);
                store.Remove(piece);
                var product = new double[w];
                ReadPieces(s => $"{piece}-s{s}", (_, part) =>
                {
                    for (int j = 0; j < w; j++)
                    {
                        product[j] += part[j];
                    }
                });
                Scale(product, 1 / n);
                alpha.Add(Dot(product, q));
                for (int pass = 0; pass < 2; pass++)
                {
                    foreach (double[] b in basis)
                    {
                        double c = Dot(product, b);
                        for (int j = 0; j < w; j++)
                        {
                            product[j] -= c * b[j];
                        }
                    }
                }
                residual = Norm(product);
                if (residual < 1e-10 * Math.Abs(alpha[0]) || k == Math.Min(LanczosSteps, w) - 1)
                {
                    break;
                }
                beta.Add(residual);
                Scale(product, 1 / residual);
                q = product;
            }
            int m = alpha.Count;
            Matrix<double> tridiagonal = Matrix<double>.Build.Dense(m, m);
            for (int i = 0; i < m; i++)
            {
                tridiagonal[i, i] = alpha[i];
                if (i + 1 < m)
                {
                    tridiagonal[i, i + 1] = tridiagonal[i + 1, i] = beta[i];
                }
            }
            var evd = tridiagonal.Evd(Symmetricity.Symmetric);
            int[] order = [.. Enumerable.Range(0, m).OrderByDescending(i => evd.EigenValues[i].Real)];
            var vectors = new List<double[]>();
            var values = new List<double>();
            int next = 0;
            while (next < Math.Min(MaxDeflated, m - 1))
            {
                int i = order[next];
                double value = evd.EigenValues[i].Real;
                // ‖H u − λ u‖ = β_m · |last component of the tridiagonal's eigenvector|.
                if (residual * Math.Abs(evd.EigenVectors[m - 1, i]) > RitzTolerance * value)
                {
                    break;
                }
                var u = new double[w];
                for (int k = 0; k < m; k++)
                {
                    double c = evd.EigenVectors[k, i];
                    for (int j = 0; j < w; j++)
                    {
                        u[j] += c * basis[k][j];
                    }
                }
                Scale(u, 1 / Norm(u));
                vectors.Add(u);
                values.Add(value);
                next++;
            }
            return new CurvatureSpectrum(evd.EigenValues[order[0]].Real, [.. vectors], [.. values], evd.EigenValues[order[next]].Real);
        }

        private static double Dot(double[] a, double[] b)
        {
            double sum = 0;
            for (int i = 0; i < a.Length; i++)
            {
                sum += a[i] * b[i];
            }
            return sum;
        }

        private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

        private static void Scale(double[] a, double factor)
        {
            for (int i = 0; i < a.Length; i++)
            {
                a[i] *= factor;
            }
        }

        // ---- the end ----

        /// <summary>Margins of every row at the final θ (one evaluation scatter), metrics, and the result.</summary>
        private async Task<TrainingResult> Finish(double[] theta, double l1, double l2, int rounds, bool converged, double step, List<RoundRecord> history, CrossValidation? cv)
        {
            store.Write<double>("final", theta);
            TrainingPartial[] partials = await Scatter(LocalFitOperation.OperationName, s => Step("final", "", $"final-m{s}", fit: false)).ConfigureAwait(false);
            double[] margins = Margins(s => $"final-m{s}");
            double objective = partials.Sum(p => p.Loss) / _trainRows.Sum() + Penalty(theta, l1, l2);
            return new TrainingResult(settings, l1, l2, theta, _mean, _inverseSd, rounds, converged, step, history, cv, margins,
                TrainingMetrics.Of(settings.Model, data.Targets, margins, r => !data.IsTest[r])!,
                TrainingMetrics.Of(settings.Model, data.Targets, margins, r => data.IsTest[r]), objective);
        }
    }
}
