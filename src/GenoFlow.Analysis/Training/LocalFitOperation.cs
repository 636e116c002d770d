using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// One shard's part of a training round. From the broadcast θ it computes the margins of all its rows (written as a
/// piece when asked: predictions and per-round metrics come from them), its summed loss over the rows it fits (train
/// rows outside the held-out fold, each weighted by its class weight) and over its held-out fold's rows; it then runs <see cref="TrainingStep.Epochs"/> local proximal-gradient epochs on its local objective
/// (1/n_k) Σ loss + l1‖w‖₁ + (l2/2)‖w‖² and writes the local θ. The L1 proximal map is applied between local epochs
/// but not after the last one: the coordinator applies it after averaging, so with one epoch the weighted average of
/// the local fits is exactly one proximal-gradient step on the whole training set.
/// </summary>
public sealed class LocalFitOperation(ScratchRoot scratch) : ISampleShardOperation
{
    public const string OperationName = "train.local/1";

    public string Name => OperationName;

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        var (step, store, features) = TrainingStep.Open(scratch, shard, input);
        double[] theta = store.Read<double>(step.Parameters);
        int p = features.Parameters;
        var margins = new double[features.Rows];
        features.Margins(theta, margins);
        if (step.Margins.Length > 0)
        {
            store.Write<double>(step.Margins, margins);
        }
        int n = 0;
        double loss = 0, validation = 0;
        for (int r = 0; r < features.Rows; r++)
        {
            double y = features.Target(r);
            if (features.IsTrain(r))
            {
                n++;
                loss += step.Weight(y) * Losses.Value(step.Model, y, margins[r]);
            }
            else if (features.IsValidation(r))
            {
                validation += step.Weight(y) * Losses.Value(step.Model, y, margins[r]);
            }
        }
        if (step.Epochs > 0 && n > 0)
        {
            var residuals = new double[features.Rows];
            var gradient = new double[p + 1];
            for (int epoch = 0; epoch < step.Epochs; epoch++)
            {
                if (epoch > 0)
                {
                    features.Margins(theta, margins);
                }
                for (int r = 0; r < features.Rows; r++)
                {
                    double y = features.Target(r);
                    residuals[r] = features.IsTrain(r) ? step.Weight(y) * Losses.Derivative(step.Model, y, margins[r]) : 0;
                }
                Array.Clear(gradient);
                features.AddGradient(residuals, gradient);
                bool last = epoch == step.Epochs - 1;
                for (int j = 0; j < p; j++)
                {
                    double w = theta[j] - step.Step * (gradient[j] / n + step.L2 * theta[j]);
                    theta[j] = last ? w : Losses.SoftThreshold(w, step.Step * step.L1);
                }
                theta[p] -= step.Step * gradient[p] / n;
            }
            store.Write<double>(step.Output, theta);
        }
        return new TrainingPartial(n, loss, validation).Encode();
    }
}
