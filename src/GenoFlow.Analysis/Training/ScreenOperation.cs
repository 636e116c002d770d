using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Marginal screening sums over the rows a shard fits (train rows outside the held-out fold): Σ x̃_rj·y_r then Σ x̃_rj
/// for every feature j and the intercept (so Σy and n), as one piece of 2(p + 1) doubles. The coordinator sums them in
/// shard order; feature j's association is |Σ x̃y − ȳ Σ x̃|, its covariance with the target over those rows times n
/// (features are standardised over all training rows, so it ranks as the correlation does, up to sampling noise in
/// the fold's sd that owes nothing to the target).
/// </summary>
public sealed class ScreenOperation(ScratchRoot scratch) : ISampleShardOperation
{
    public const string OperationName = "train.screen/1";

    public string Name => OperationName;

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        var (step, store, features) = TrainingStep.Open(scratch, shard, input);
        int w = features.Parameters + 1;
        var targets = new double[features.Rows];
        var ones = new double[features.Rows];
        int n = 0;
        for (int r = 0; r < features.Rows; r++)
        {
            if (features.IsTrain(r))
            {
                targets[r] = features.Target(r);
                ones[r] = 1;
                n++;
            }
        }
        var piece = new double[2 * w];
        // AddGradient skips rows whose weight is 0, so a target of 0 on a fitted row drops out of Σ x̃y, as it should.
        features.AddGradient(targets, piece.AsSpan(0, w));
        features.AddGradient(ones, piece.AsSpan(w, w));
        store.Write<double>(step.Output, piece);
        return new TrainingPartial(n, 0).Encode();
    }
}
