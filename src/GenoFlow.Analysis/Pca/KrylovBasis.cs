using GenoFlow.Analysis.Execution;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// The Krylov basis Q₁, Q₂, … of <see cref="RandomizedPca"/>: blocks of l columns kept as float pieces
/// <c>Q{j}-b{block}</c> in the scratch store, projections on them, and the next block orthonormalised against them.
/// </summary>
internal static class KrylovBasis
{
    public static Matrix<double>[] Zeros(int count, int l) =>
        Enumerable.Range(0, count).Select(_ => Matrix<double>.Build.Dense(l, l)).ToArray();

    /// <summary>Adds Qⱼ,bᵀ W_b to <paramref name="projection"/>[j−1] for every basis block j ≤ i.</summary>
    public static void AddProjections(ScratchStore store, int i, int block, double[] w, int l, Matrix<double>[] projection)
    {
        Matrix<double> wb = Matrix<double>.Build.DenseOfRowMajor(w.Length / l, l, w);
        for (int j = 1; j <= i; j++)
        {
            projection[j - 1] += Basis(store, j, block, l).TransposeThisAndMultiply(wb);
        }
    }

    public static Matrix<double> Basis(ScratchStore store, int j, int block, int l)
    {
        float[] q = store.Read<float>(PcaJob.BlockPiece($"Q{j}", block));
        return Matrix<double>.Build.Dense(q.Length / l, l, (row, col) => q[row * l + col]);
    }

    /// <summary>
    /// Qᵢ₊₁ from W minus its projections on Q₁..Qᵢ, twice (classical Gram–Schmidt twice: one pass loses orthogonality
    /// to rounding), then a tall-skinny QR. Returns its R: A·Qᵢ = Σⱼ Qⱼ Tⱼᵢ + Qᵢ₊₁ R, so R is what gives the Ritz residuals.
    /// </summary>
    public static Matrix<double> Orthogonalise(ScratchStore store, int i, int blocks, int l, Matrix<double>[] projection)
    {
        for (int b = 0; b < blocks; b++)
        {
            // Pieces are never overwritten: the coordinator replaces its own piece by removing it first.
            string piece = PcaJob.BlockPiece($"W{i}", b);
            double[] orthogonal = Subtract(store, i, b, store.Read<double>(piece), l, projection);
            store.Remove(piece);
            store.Write<double>(piece, orthogonal);
        }
        Matrix<double>[] again = Zeros(i, l);
        for (int b = 0; b < blocks; b++)
        {
            AddProjections(store, i, b, store.Read<double>(PcaJob.BlockPiece($"W{i}", b)), l, again);
        }
        var qr = new TallSkinnyQr(store, $"R{i}", l);
        for (int b = 0; b < blocks; b++)
        {
            qr.Add(b, Subtract(store, i, b, store.Read<double>(PcaJob.BlockPiece($"W{i}", b)), l, again));
        }
        return qr.Finish(b => PcaJob.BlockPiece($"Q{i + 1}", b));
    }

    private static double[] Subtract(ScratchStore store, int i, int block, double[] w, int l, Matrix<double>[] projection)
    {
        Matrix<double> wb = Matrix<double>.Build.DenseOfRowMajor(w.Length / l, l, w);
        for (int j = 1; j <= i; j++)
        {
            wb -= Basis(store, j, block, l) * projection[j - 1];
        }
        return wb.ToRowMajorArray();
    }
}
