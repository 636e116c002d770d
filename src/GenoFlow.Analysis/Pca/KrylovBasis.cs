using GenoFlow.Analysis.Execution;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// The Krylov basis Q₁, Q₂, … of <see cref="RandomizedPca"/>: blocks of l columns kept as float pieces
/// <c>Q{j}-b{block}</c> in the scratch store, projections on them (l × l, row-major doubles), and the next block
/// orthonormalised against them. Block products go through <see cref="BlockProducts"/>.
/// <para>
/// Every iteration reads every basis block four times (two projections, two subtractions), so blocks are also kept in
/// memory up to <see cref="MemoryBudgetBytes"/>: at 100,000 samples and 20 iterations of 24 columns the whole basis is
/// 190 MB, and re-reading it from the store was most of the coordinator's time. Past the budget the later blocks are
/// read from the store each time (keeping the first ones is what serves a cyclic scan best).
/// </para>
/// </summary>
internal sealed class KrylovBasis(ScratchStore store, int l)
{
    /// <summary>Basis bytes kept in memory on the coordinator.</summary>
    public const long MemoryBudgetBytes = 512L * 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<(int J, int Block), float[]> _kept = [];
    private long _keptBytes;

    public static double[][] Zeros(int count, int l) => Enumerable.Range(0, count).Select(_ => new double[l * l]).ToArray();

    /// <summary>The blocks' projections summed in block order (so the sum does not depend on which block finished first).</summary>
    public static double[][] Sum(double[][][] blocks, int i, int l)
    {
        double[][] sum = Zeros(i, l);
        foreach (double[][] block in blocks)
        {
            for (int j = 0; j < i; j++)
            {
                for (int x = 0; x < sum[j].Length; x++)
                {
                    sum[j][x] += block[j][x];
                }
            }
        }
        return sum;
    }

    /// <summary>Adds Qⱼ,bᵀ W_b to <paramref name="projection"/>[j−1] for every basis block j ≤ i.</summary>
    public void AddProjections(int i, int block, double[] w, double[][] projection)
    {
        for (int j = 1; j <= i; j++)
        {
            BlockProducts.AddTransposedProduct(Basis(j, block), w, l, projection[j - 1]);
        }
    }

    /// <summary>Basis block Qⱼ's rows of sample block <paramref name="block"/> (samples × l floats).</summary>
    public float[] Basis(int j, int block)
    {
        lock (_lock)
        {
            if (_kept.TryGetValue((j, block), out float[]? kept))
            {
                return kept;
            }
        }
        float[] rows = store.Read<float>(PcaJob.BlockPiece($"Q{j}", block));
        lock (_lock)
        {
            if (_keptBytes + (long)rows.Length * sizeof(float) <= MemoryBudgetBytes && _kept.TryAdd((j, block), rows))
            {
                _keptBytes += (long)rows.Length * sizeof(float);
            }
        }
        return rows;
    }

    /// <summary>
    /// Qᵢ₊₁ from W minus its projections on Q₁..Qᵢ, twice (classical Gram–Schmidt twice: one pass loses orthogonality
    /// to rounding), then a tall-skinny QR. Returns its R: A·Qᵢ = Σⱼ Qⱼ Tⱼᵢ + Qᵢ₊₁ R, so R is what gives the Ritz residuals.
    /// Blocks are independent until their second projections are summed, so they run in parallel (this is the
    /// coordinator's largest share of a run, with the other cores idle); each block's projections are summed in block
    /// order, so the result does not depend on how many ran at once.
    /// </summary>
    public Matrix<double> Orthogonalise(int i, int blocks, double[][] projection)
    {
        var partial = new double[blocks][][];
        Parallel.For(0, blocks, b =>
        {
            // Pieces are never overwritten: the coordinator replaces its own piece by removing it first.
            string piece = PcaJob.BlockPiece($"W{i}", b);
            double[] w = store.Read<double>(piece);
            Subtract(i, b, w, projection);
            partial[b] = Zeros(i, l);
            AddProjections(i, b, w, partial[b]);
            store.Remove(piece);
            store.Write<double>(piece, w);
        });
        double[][] again = Sum(partial, i, l);
        var qr = new TallSkinnyQr(store, $"R{i}", l);
        Parallel.For(0, blocks, b =>
        {
            double[] w = store.Read<double>(PcaJob.BlockPiece($"W{i}", b));
            Subtract(i, b, w, again);
            qr.Add(b, w);
        });
        return qr.Finish(b => PcaJob.BlockPiece($"Q{i + 1}", b));
    }

    private void Subtract(int i, int block, double[] w, double[][] projection)
    {
        for (int j = 1; j <= i; j++)
        {
            BlockProducts.SubtractProduct(Basis(j, block), projection[j - 1], l, w);
        }
    }
}
