using GenoFlow.Analysis.Execution;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// Tall-skinny QR over the pieces of a tall matrix (Demmel et al. 2012, one level): each piece, as it arrives, gets a
/// local QR (its Q kept in the scratch store, its R here); <see cref="Finish"/> factors the stacked small R factors and
/// writes each piece's final Q = Q_piece · Q_stack[piece] as a float piece for the next product. Only l × l factors
/// (or a piece shorter than l) are held. Pieces may arrive in any order and from several threads at once; they are
/// stacked in index order.
/// </summary>
internal sealed class TallSkinnyQr(ScratchStore store, string prefix, int columns)
{
    private readonly Lock _lock = new();
    private readonly List<(int Index, int Rows, Matrix<double> R)> _pieces = [];

    public void Add(int index, double[] rows)
    {
        int count = rows.Length / columns;
        Matrix<double> piece = Matrix<double>.Build.DenseOfRowMajor(count, columns, rows);
        if (count > columns)
        {
            var qr = piece.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
            store.Write<double>(LocalPiece(index), qr.Q.ToRowMajorArray());
            Keep(index, count, qr.R);
        }
        else
        {
            // A short piece is its own R (Q = identity).
            Keep(index, count, piece);
        }
    }

    /// <summary>Writes the orthonormal pieces under <paramref name="name"/>(index) and returns the l × l R of the whole matrix.</summary>
    public Matrix<double> Finish(Func<int, string> name)
    {
        _pieces.Sort((a, b) => a.Index.CompareTo(b.Index));
        var offsets = new int[_pieces.Count + 1];
        for (int p = 0; p < _pieces.Count; p++)
        {
            offsets[p + 1] = offsets[p] + _pieces[p].R.RowCount;
        }
        Matrix<double> all = Matrix<double>.Build.Dense(offsets[^1], columns);
        for (int p = 0; p < _pieces.Count; p++)
        {
            all.SetSubMatrix(offsets[p], 0, _pieces[p].R);
        }
        var qr = all.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        Matrix<double> stackedQ = qr.Q;
        Parallel.For(0, _pieces.Count, p =>
        {
            var piece = _pieces[p];
            Matrix<double> q = stackedQ.SubMatrix(offsets[p], piece.R.RowCount, 0, columns);
            if (piece.Rows > columns)
            {
                Matrix<double> local = Matrix<double>.Build.DenseOfRowMajor(piece.Rows, columns, store.Read<double>(LocalPiece(piece.Index)));
                q = local * q;
            }
            store.Write<float>(name(piece.Index), q.ToRowMajorArray().Select(x => (float)x).ToArray());
        });
        return qr.R;
    }

    private void Keep(int index, int rows, Matrix<double> r)
    {
        lock (_lock)
        {
            _pieces.Add((index, rows, r));
        }
    }

    private string LocalPiece(int index) => $"{prefix}-q{index}";
}
