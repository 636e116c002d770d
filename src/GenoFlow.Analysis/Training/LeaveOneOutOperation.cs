using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Exact leave-one-out of exact ridge on one shard (<see cref="LeaveOneOut"/>): reads the basis piece named by the
/// step's parameters, projects each training row onto the eigenvectors of the centred Gram matrix, and writes one piece
/// of A doubles, the shard's Σ (e_i / (1 − h_ii))² at each of the basis's A penalties. The rows never leave the shard.
/// </summary>
public sealed class LeaveOneOutOperation(ScratchRoot scratch) : ISampleShardOperation
{
    public const string OperationName = "train.loo/1";

    public string Name => OperationName;

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        var (step, store, features) = TrainingStep.Open(scratch, shard, input);
        int p = features.Parameters;
        double[] basis = store.Read<double>(step.Parameters);
        long fixedPart = (long)p * p + p + 2;
        long perPenalty = 2L * p;
        if (p == 0 || basis.Length <= fixedPart || (basis.Length - fixedPart) % perPenalty != 0)
        {
            throw new InvalidDataException($"leave-one-out basis piece holds {basis.Length} values; shard {shard.Index} has {p} features (needs p² + p + 2 + 2p per penalty)");
        }
        int a = (int)((basis.Length - fixedPart) / perPenalty);
        double[] dense = features.DenseTrainRows(_ => true, out int rows);
        var squared = new double[a];
        if (rows > 0)
        {
            int w = p + 1;
            Matrix<double> vectors = Matrix<double>.Build.Dense(p, p, basis[..(p * p)]);
            double[] means = basis[(p * p)..(p * p + p)];
            double meanY = basis[p * p + p], inverseN = basis[p * p + p + 1];
            int at = p * p + p + 2;
            Matrix<double> leverageWeights = Matrix<double>.Build.Dense(a, p, basis[at..(at + a * p)]);
            Matrix<double> fitWeights = Matrix<double>.Build.Dense(a, p, basis[(at + a * p)..]);
            // Row-major rows x w is column-major X̃ᵀ (w x rows); the centred features, without the intercept's column.
            Matrix<double> centred = Matrix<double>.Build.Dense(p, rows, (j, r) => dense[(long)r * w + j] - means[j]);
            Matrix<double> z = vectors.TransposeThisAndMultiply(centred);
            Matrix<double> leverage = leverageWeights * z.PointwiseMultiply(z);
            Matrix<double> fitted = fitWeights * z;
            double[] y = features.TrainTargets(_ => true);
            for (int r = 0; r < rows; r++)
            {
                for (int l = 0; l < a; l++)
                {
                    double residual = (y[r] - meanY - fitted[l, r]) / (1 - inverseN - leverage[l, r]);
                    squared[l] += residual * residual;
                }
            }
        }
        store.Write<double>(step.Output, squared);
        return new TrainingPartial(rows, 0).Encode();
    }
}
