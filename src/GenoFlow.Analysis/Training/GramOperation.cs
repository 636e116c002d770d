using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Exact aggregation: a shard's X̃ᵀX̃, X̃ᵀy and yᵀy over its train rows (X̃ the standardised features with a final column
/// of ones), written as one piece of (p+1)² + (p+1) + 1 doubles; for cross-validation one piece per fold
/// (<c>{output}-f{fold}</c>) over that fold's train rows. The coordinator sums them in shard order.
/// </summary>
public sealed class GramOperation(ScratchRoot scratch) : ISampleShardOperation
{
    public const string OperationName = "train.gram/1";

    public string Name => OperationName;

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        var (step, store, features) = TrainingStep.Open(scratch, shard, input);
        if (step.Folds == 0)
        {
            store.Write<double>(step.Output, Sums(features, _ => true, out int rows));
            return new TrainingPartial(rows, 0).Encode();
        }
        int total = 0;
        for (int f = 0; f < step.Folds; f++)
        {
            store.Write<double>($"{step.Output}-f{f}", Sums(features, r => features.Fold(r) == f, out int rows));
            total += rows;
        }
        return new TrainingPartial(total, 0).Encode();
    }

    private static double[] Sums(ShardFeatures features, Func<int, bool> include, out int rows)
    {
        int width = features.Parameters + 1;
        double[] dense = features.DenseTrainRows(include, out rows);
        double[] y = features.TrainTargets(include);
        double yy = 0;
        foreach (double target in y)
        {
            yy += target * target;
        }
        var piece = new double[width * width + width + 1];
        if (rows > 0)
        {
            // Row-major rows x width is column-major X̃ᵀ (width x rows).
            Matrix<double> xt = Matrix<double>.Build.Dense(width, rows, dense);
            xt.TransposeAndMultiply(xt).AsColumnMajorArray().CopyTo(piece, 0);
            (xt * Vector<double>.Build.Dense(y)).AsArray().CopyTo(piece, width * width);
        }
        piece[^1] = yy;
        return piece;
    }
}
