using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Σ_r x̃_r x̃_rᵀ v over a shard's train rows (x̃ the standardised features with a final 1): one product with the
/// unscaled Hessian of the squared error, for the Lanczos estimate of the step size. Writes the sum as a piece.
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
            bool use = step.Fit && features.IsTrain(r);
            n += use ? 1 : 0;
            margins[r] = use ? margins[r] : 0;
        }
        var product = new double[features.Parameters + 1];
        features.AddGradient(margins, product);
        store.Write<double>(step.Output, product);
        return new TrainingPartial(n, 0).Encode();
    }
}
