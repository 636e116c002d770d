using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Σ_r w_r x̃_r x̃_rᵀ v over the rows a shard fits (train rows outside the held-out fold; x̃ the standardised features with a final 1; w_r the row's
/// class weight): one product with the unscaled Hessian of the (weighted) squared error, for the Lanczos estimate of
/// the step size. Without the weights, balanced classes at 5% prevalence (cases weigh 10) made the step ten times too
/// long and the fit stopped unconverged at its round limit. Writes the sum as a piece.
/// </summary>
public sealed class CurvatureOperation(ScratchRoot scratch) : ISampleShardOperation
{
    public const string OperationName = "train.curvature/1";

    public string Name => OperationName;

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        var (step, store, features) = TrainingStep.Open(scratch, shard, input);
        double[] v = store.Read<double>(step.Parameters);
        var margins = new double[features.Rows];
        features.Margins(v, margins);
        int n = 0;
        for (int r = 0; r < features.Rows; r++)
        {
            bool use = features.IsTrain(r);
            n += use ? 1 : 0;
            margins[r] = use ? step.Weight(features.Target(r)) * margins[r] : 0;
        }
        var product = new double[features.Parameters + 1];
        features.AddGradient(margins, product);
        store.Write<double>(step.Output, product);
        return new TrainingPartial(n, 0).Encode();
    }
}
