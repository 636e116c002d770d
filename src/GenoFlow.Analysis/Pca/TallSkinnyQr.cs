using GenoFlow.Analysis.Execution;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// Tall-skinny QR over the pieces of a tall matrix (Demmel et al. 2012, one level): each piece, as it arrives, gets a
/// local QR (its Q kept in the scratch store, its R here); <see cref="Finish"/> factors the stacked small R factors and
/// writes each piece's final Q = Q_piece · Q_stack[piece] as a float piece for the next product. Only l × l factors
/// (or a piece shorter than l) are held. Pieces arrive in index order.
/// </summary>
internal sealed class TallSkinnyQr(ScratchStore store, string prefix, int columns)
{
    private readonly List<(int Index, int Rows, Matrix<double> R)> _pieces = [];

    public void Add(int index, double[] rows)
    {
        int count = rows.Length / columns;
        Matrix<double> piece = Matrix<double>.Build.DenseOfRowMajor(count, columns, rows);
        if (count > columns)
        {
            var qr = piece.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
            store.Write<double>(LocalPiece(index), qr.Q.ToRowMajorArray());
            _pieces.Add((index, count, qr.R));
        }
        else
        {
            // A short piece is its own R (Q = identity).
            _pieces.Add((index, count, piece));
        }
    }

    /// <summary>Writes the orthonormal pieces under <paramref name="name"/>(index) and returns the l × l R of the whole matrix.</summary>
    public Matrix<double> Finish(Func<int, string> name)
    {
        int stacked = _pieces.Sum(p => p.R.RowCount);
        Matrix<double> all = Matrix<double>.Build.Dense(stacked, columns);
        int offset = 0;
        foreach (var piece in _pieces)
        {
            all.SetSubMatrix(offset, 0, piece.R);
            offset += piece.R.RowCount;
        }
        var qr = all.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        offset = 0;
        foreach (var piece in _pieces)
        {
            Matrix<double> q = qr.Q.SubMatrix(offset, piece.R.RowCount, 0, columns);
            offset += piece.R.RowCount;
            if (piece.Rows > columns)
            {
                Matrix<double> local = Matrix<double>.Build.DenseOfRowMajor(piece.Rows, columns, store.Read<double>(LocalPiece(piece.Index)));
                q = local * q;
            }
            store.Write<float>(name(piece.Index), q.ToRowMajorArray().Select(x => (float)x).ToArray());
        }
        return qr.R;
    }

    private string LocalPiece(int index) => $"{prefix}-q{index}";
}
