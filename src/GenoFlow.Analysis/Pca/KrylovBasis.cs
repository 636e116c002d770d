using GenoFlow.Analysis.Execution;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// The Krylov basis Q₁, Q₂, … of <see cref="RandomizedPca"/>: blocks of l columns kept as float pieces
/// <c>Q{j}-b{block}</c> in the scratch store, projections on them (l × l, row-major doubles), and the next block
/// orthonormalised against them. Block products go through <see cref="BlockProducts"/>.
/// </summary>
internal static class KrylovBasis
{
    public static double[][] Zeros(int count, int l) => Enumerable.Range(0, count).Select(_ => new double[l * l]).ToArray();

    /// <summary>Adds Qⱼ,bᵀ W_b to <paramref name="projection"/>[j−1] for every basis block j ≤ i.</summary>
    public static void AddProjections(ScratchStore store, int i, int block, double[] w, int l, double[][] projection)
    {
        for (int j = 1; j <= i; j++)
        {
            BlockProducts.AddTransposedProduct(Basis(store, j, block), w, l, projection[j - 1]);
        }
    }

    public static float[] Basis(ScratchStore store, int j, int block) => store.Read<float>(PcaJob.BlockPiece($"Q{j}", block));

    /// <summary>
    /// Qᵢ₊₁ from W minus its projections on Q₁..Qᵢ, twice (classical Gram–Schmidt twice: one pass loses orthogonality
    /// to rounding), then a tall-skinny QR. Returns its R: A·Qᵢ = Σⱼ Qⱼ Tⱼᵢ + Qᵢ₊₁ R, so R is what gives the Ritz residuals.
    /// Blocks are independent until their second projections are summed, so they run in parallel (this is the
    /// coordinator's largest share of a run, with the other cores idle); each block's projections are summed in block
    /// order, so the result does not depend on how many ran at once.
    /// </summary>
    public static Matrix<double> Orthogonalise(ScratchStore store, int i, int blocks, int l, double[][] projection)
    {
        var partial = new double[blocks][][];
        Parallel.For(0, blocks, b =>
        {
            // Pieces are never overwritten: the coordinator replaces its own piece by removing it first.
            string piece = PcaJob.BlockPiece($"W{i}", b);
            double[] w = store.Read<double>(piece);
            Subtract(store, i, b, w, l, projection);
            partial[b] = Zeros(i, l);
            AddProjections(store, i, b, w, l, partial[b]);
            store.Remove(piece);
            store.Write<double>(piece, w);
        });
        double[][] again = Zeros(i, l);
        foreach (double[][] block in partial)
        {
            for (int j = 0; j < i; j++)
            {
                for (int x = 0; x < again[j].Length; x++)
                {
                    again[j][x] += block[j][x];
                }
            }
        }
        var qr = new TallSkinnyQr(store, $"R{i}", l);
        Parallel.For(0, blocks, b =>
        {
            double[] w = store.Read<double>(PcaJob.BlockPiece($"W{i}", b));
            Subtract(store, i, b, w, l, again);
            qr.Add(b, w);
        });
        return qr.Finish(b => PcaJob.BlockPiece($"Q{i + 1}", b));
    }

    private static void Subtract(ScratchStore store, int i, int block, double[] w, int l, double[][] projection)
    {
        for (int j = 1; j <= i; j++)
        {
            BlockProducts.SubtractProduct(Basis(store, j, block), projection[j - 1], l, w);
        }
    }
}
